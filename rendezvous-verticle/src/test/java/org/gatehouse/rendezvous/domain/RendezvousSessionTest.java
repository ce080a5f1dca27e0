package org.gatehouse.rendezvous.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RendezvousSessionTest {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  static RendezvousSession session(Protocol protocol) {
    return RendezvousSession.create("id", protocol, "first", "t0", T0, Duration.ofSeconds(120));
  }

  @Test
  void expiresAFixedTimeAfterCreation() {
    RendezvousSession s = session(Protocol.MSC4388);
    assertThat(s.expiresAtMs()).isEqualTo(T0.toEpochMilli() + 120_000);
    assertThat(s.isLiveAt(T0.toEpochMilli() + 119_999)).isTrue();
    assertThat(s.isLiveAt(T0.toEpochMilli() + 120_000)).isFalse();
    assertThat(s.expiresIn(T0.toEpochMilli() + 20_000)).isEqualTo(Duration.ofSeconds(100));
    assertThat(s.expiresIn(T0.toEpochMilli() + 200_000)).isZero();
  }

  @Test
  void aWriteWithTheCurrentTokenReplacesDataAndTokenButNotTheExpiry() {
    RendezvousSession s = session(Protocol.MSC4388);
    WriteResult result = s.write(Precondition.token("t0"), "second", "t1", T0.toEpochMilli() + 5000);
    assertThat(result).isInstanceOf(WriteResult.Written.class);
    RendezvousSession after = result.session();
    assertThat(after.data()).isEqualTo("second");
    assertThat(after.token()).isEqualTo("t1");
    assertThat(after.previousToken()).isEqualTo("t0");
    assertThat(after.lastModifiedMs()).isEqualTo(T0.toEpochMilli() + 5000);
    assertThat(after.expiresAtMs()).isEqualTo(s.expiresAtMs());
  }

  @Test
  void aStaleTokenConflictsAndReportsTheCurrentState() {
    RendezvousSession s = session(Protocol.MSC4388).write(Precondition.token("t0"), "second", "t1", 1).session();
    WriteResult result = s.write(Precondition.token("other"), "x", "t2", 2);
    assertThat(result).isInstanceOf(WriteResult.Conflict.class);
    assertThat(result.session()).isEqualTo(s);
  }

  @Test
  void msc4388RetryOfTheLastWriteSucceedsWithTheCurrentToken() {
    RendezvousSession s = session(Protocol.MSC4388).write(Precondition.token("t0"), "second", "t1", 1).session();
    WriteResult retry = s.write(Precondition.token("t0"), "second", "t2", 2);
    assertThat(retry).isInstanceOf(WriteResult.Retried.class);
    assertThat(retry.session().token()).isEqualTo("t1");
    // Same previous token but other data is a real conflict, not a retry.
    assertThat(s.write(Precondition.token("t0"), "different", "t2", 2)).isInstanceOf(WriteResult.Conflict.class);
  }

  @Test
  void msc4108HasNoRetryRule() {
    RendezvousSession s = session(Protocol.MSC4108).write(Precondition.token("t0"), "second", "t1", 1).session();
    assertThat(s.write(Precondition.token("t0"), "second", "t2", 2)).isInstanceOf(WriteResult.Conflict.class);
  }

  @Test
  void wildcardAndListsMatchLikeEntityTags() {
    RendezvousSession s = session(Protocol.MSC4108);
    assertThat(s.write(Precondition.ANY, "x", "t1", 1)).isInstanceOf(WriteResult.Written.class);
    assertThat(s.write(new Precondition(List.of("a", "t0"), false), "x", "t1", 1)).isInstanceOf(WriteResult.Written.class);
    assertThat(s.write(new Precondition(List.of(), false), "x", "t1", 1)).isInstanceOf(WriteResult.Conflict.class);
  }

  @Test
  void idsAndTokensAreRandomUrlSafeAndLongEnough() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String id = Tokens.newId();
      assertThat(id).matches("[A-Za-z0-9_-]{22}");
      seen.add(id);
      seen.add(Tokens.newToken());
    }
    assertThat(seen).hasSize(2000);
  }
}
