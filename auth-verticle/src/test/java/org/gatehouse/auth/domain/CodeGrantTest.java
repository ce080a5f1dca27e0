package org.gatehouse.auth.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The authorization code's state machine and the order of its checks. */
class CodeGrantTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final String VERIFIER = "a".repeat(43);
  private static final String REDIRECT = "https://example.com/cb";

  private static CodeGrant code(boolean redirectUriSent) {
    return CodeGrant.issued(new byte[32], "client", UUID.randomUUID(), REDIRECT, redirectUriSent, "openid",
        Pkce.challengeOf(VERIFIER), null, NOW, NOW, NOW.plus(Duration.ofMinutes(10)));
  }

  private static CodeGrant.Redemption redeem(CodeGrant code, String client, String redirect, String verifier,
                                             Instant at) {
    return code.redeem(client, redirect, verifier, at);
  }

  @Test
  void aNewCodeIsPendingAndRedeemableByItsClient() {
    CodeGrant code = code(true);
    assertThat(code.state()).isInstanceOf(CodeGrant.Pending.class);
    assertThat(code.usableBy("client", NOW)).isTrue();
    assertThat(redeem(code, "client", REDIRECT, VERIFIER, NOW)).isInstanceOf(CodeGrant.Redeemable.class);
    assertThat(redeem(code(false), "client", null, VERIFIER, NOW)).isInstanceOf(CodeGrant.Redeemable.class);
  }

  @Test
  void eachBrokenRuleIsRefusedInOrder() {
    CodeGrant code = code(true);
    assertThat(redeem(code, "client", REDIRECT, VERIFIER, NOW.plus(Duration.ofMinutes(10))))
        .isEqualTo(new CodeGrant.Refused(CodeGrant.Refusal.EXPIRED));
    assertThat(redeem(code, "other", null, "wrong", NOW.plus(Duration.ofMinutes(10))))
        .isEqualTo(new CodeGrant.Refused(CodeGrant.Refusal.EXPIRED));
    assertThat(redeem(code, "other", null, "wrong", NOW)).isEqualTo(new CodeGrant.Refused(CodeGrant.Refusal.OTHER_CLIENT));
    assertThat(redeem(code, "client", null, "wrong", NOW))
        .isEqualTo(new CodeGrant.Refused(CodeGrant.Refusal.REDIRECT_URI_MISSING));
    assertThat(redeem(code, "client", "https://example.com/other", "wrong", NOW))
        .isEqualTo(new CodeGrant.Refused(CodeGrant.Refusal.REDIRECT_URI_DIFFERS));
    assertThat(redeem(code, "client", REDIRECT, "b".repeat(43), NOW))
        .isEqualTo(new CodeGrant.Refused(CodeGrant.Refusal.VERIFIER_MISMATCH));
  }

  @Test
  void anExchangedCodeIsReplayWhoeverPresentsIt() {
    UUID session = UUID.randomUUID();
    CodeGrant exchanged = code(true).exchange(session, NOW);
    assertThat(exchanged.state()).isEqualTo(new CodeGrant.Exchanged(NOW, session));
    assertThat(exchanged.usableBy("client", NOW)).isFalse();
    assertThat(redeem(exchanged, "other", null, "wrong", NOW.plus(Duration.ofDays(1))))
        .isEqualTo(new CodeGrant.Replayed(session));
  }

  @Test
  void exchangeRefusesAnExchangedOrExpiredCode() {
    CodeGrant exchanged = code(true).exchange(UUID.randomUUID(), NOW);
    assertThatThrownBy(() -> exchanged.exchange(UUID.randomUUID(), NOW)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> code(true).exchange(UUID.randomUUID(), NOW.plus(Duration.ofMinutes(10))))
        .isInstanceOf(IllegalStateException.class);
  }
}
