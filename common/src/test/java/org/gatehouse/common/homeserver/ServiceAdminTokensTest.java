package org.gatehouse.common.homeserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ServiceAdminTokensTest {
  static final String SECRET = "a secret shared with the homeserver";
  final ServiceAdminTokens tokens = new ServiceAdminTokens(SECRET, "gatehouse-service");

  @Test
  void aTokenIsGoodForItsHourAndTheNextOnAnyNodeThatSharesTheSecret() {
    Instant minted = Instant.parse("2026-12-01T10:20:00Z");
    String token = tokens.mint(minted);
    assertThat(token).startsWith(ServiceAdminTokens.PREFIX);
    ServiceAdminTokens otherNode = new ServiceAdminTokens(SECRET, "gatehouse-service");
    assertThat(otherNode.mint(Instant.parse("2026-12-01T10:59:59Z"))).isEqualTo(token);
    assertThat(otherNode.expiryOf(token, minted)).contains(Instant.parse("2026-12-01T12:00:00Z"));
    assertThat(otherNode.expiryOf(token, Instant.parse("2026-12-01T11:59:59Z")))
        .contains(Instant.parse("2026-12-01T12:00:00Z"));
    assertThat(otherNode.expiryOf(token, Instant.parse("2026-12-01T12:00:00Z"))).isEmpty();
    // A new hour, a new token.
    assertThat(tokens.mint(Instant.parse("2026-12-01T11:00:00Z"))).isNotEqualTo(token);
  }

  @Test
  void anotherSecretOrAnotherAccountMintsTokensThatAreNotTaken() {
    Instant now = Instant.parse("2026-12-01T10:20:00Z");
    assertThat(tokens.expiryOf(new ServiceAdminTokens("another secret entirely", "gatehouse-service").mint(now), now))
        .isEmpty();
    assertThat(tokens.expiryOf(new ServiceAdminTokens(SECRET, "someone-else").mint(now), now)).isEmpty();
    assertThat(tokens.expiryOf("mat_not_a_service_token", now)).isEmpty();
    assertThat(tokens.expiryOf(null, now)).isEmpty();
    String token = tokens.mint(now);
    assertThat(tokens.expiryOf(token.substring(0, token.length() - 1), now)).isEmpty();
  }

  @Test
  void theSecretIsNotInItsDescription() {
    assertThat(tokens.toString()).doesNotContain(SECRET).contains("gatehouse-service");
  }
}
