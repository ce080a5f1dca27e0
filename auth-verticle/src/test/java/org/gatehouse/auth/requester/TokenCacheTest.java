package org.gatehouse.auth.requester;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.gatehouse.auth.domain.AccessGrant;
import org.junit.jupiter.api.Test;

/** What the near cache may answer: never what an invalidation removed, never past the token's life or a minute. */
class TokenCacheTest {
  static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  final TokenCache cache = new TokenCache(100);

  static AccessGrant grant(String localpart, Instant expiresAt) {
    return new AccessGrant(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), localpart, false, null, "DEVICE",
        "client", "urn:matrix:client:api:*", NOW.minusSeconds(10), expiresAt, null, null, NOW.minusSeconds(5));
  }

  @Test
  void aFillThatStartedBeforeAnInvalidationIsNotKept() {
    AccessGrant before = grant("alice", NOW.plus(Duration.ofHours(1)));
    long generation = cache.generation();
    // The token is revoked while the filler is reading the database.
    cache.invalidate(List.of("digest-a"));
    cache.put("digest-a", before, generation, NOW);
    assertThat(cache.get("digest-a", NOW)).isNull();

    cache.put("digest-a", before, cache.generation(), NOW);
    assertThat(cache.get("digest-a", NOW)).isEqualTo(before);
  }

  @Test
  void anEntryLapsesAfterAMinuteOrWithItsTokenOnTheCallersClock() {
    AccessGrant longLived = grant("alice", NOW.plus(Duration.ofHours(1)));
    AccessGrant shortLived = grant("bob", NOW.plusSeconds(20));
    cache.put("long", longLived, cache.generation(), NOW);
    cache.put("short", shortLived, cache.generation(), NOW);

    assertThat(cache.get("short", NOW.plusSeconds(19))).isEqualTo(shortLived);
    assertThat(cache.get("short", NOW.plusSeconds(20))).isNull();
    assertThat(cache.get("long", NOW.plus(TokenCache.MAX_AGE).minusMillis(1))).isEqualTo(longLived);
    assertThat(cache.get("long", NOW.plus(TokenCache.MAX_AGE))).isNull();
  }

  @Test
  void anAccountChangeForgetsEveryTokenOfThatAccountOnly() {
    cache.put("a1", grant("alice", NOW.plusSeconds(600)), cache.generation(), NOW);
    cache.put("a2", grant("alice", NOW.plusSeconds(600)), cache.generation(), NOW);
    cache.put("b1", grant("bob", NOW.plusSeconds(600)), cache.generation(), NOW);
    long generation = cache.generation();

    cache.invalidateUser("alice");
    assertThat(cache.get("a1", NOW)).isNull();
    assertThat(cache.get("a2", NOW)).isNull();
    assertThat(cache.get("b1", NOW)).isNotNull();
    assertThat(cache.generation()).isGreaterThan(generation);
  }

  @Test
  void itHoldsAtMostItsSizeAndASweepDropsWhatLapsed() {
    for (int i = 0; i < 150; i++) {
      cache.put("d" + i, grant("u" + i, NOW.plusSeconds(30)), cache.generation(), NOW);
    }
    assertThat(cache.size()).isEqualTo(100);
    cache.sweep(NOW.plusSeconds(30));
    assertThat(cache.size()).isZero();
  }
}
