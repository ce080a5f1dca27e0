package org.gatehouse.auth.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RefreshDecisionTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration WINDOW = Duration.ofSeconds(60);

  private static RefreshState state(Instant consumed, boolean nextUsed, Instant revoked, Instant finished) {
    return new RefreshState(UUID.randomUUID(), UUID.randomUUID(), consumed, revoked, consumed == null ? null : UUID.randomUUID(),
        nextUsed, "client", UUID.randomUUID(), "alice", false, null, "DEVICE1234", "scope", finished);
  }

  private static RefreshDecision decide(RefreshState state, String client) {
    return RefreshDecision.of(state, client, NOW, WINDOW);
  }

  @Test
  void firstUseRotates() {
    assertThat(decide(state(null, false, null, null), "client")).isEqualTo(RefreshDecision.ROTATE);
  }

  @Test
  void reuseBeforeTheSuccessorWasUsedIsALostResponse() {
    assertThat(decide(state(NOW, false, null, null), "client")).isEqualTo(RefreshDecision.REISSUE);
    assertThat(decide(state(NOW.minus(WINDOW), false, null, null), "client")).isEqualTo(RefreshDecision.REISSUE);
  }

  @Test
  void reuseAfterTheSuccessorWasUsedIsReplay() {
    assertThat(decide(state(NOW, true, null, null), "client")).isEqualTo(RefreshDecision.REPLAY);
  }

  @Test
  void thiefRetryingAConsumedTokenAfterTheReissueWindowIsReplay() {
    assertThat(decide(state(NOW.minus(WINDOW).minusMillis(1), false, null, null), "client"))
        .isEqualTo(RefreshDecision.REPLAY);
    assertThat(RefreshDecision.of(state(NOW.minusMillis(1), false, null, null), "client", NOW, Duration.ZERO))
        .isEqualTo(RefreshDecision.REPLAY);
  }

  @Test
  void holderOfASuccessorRevokedByAReissueIsReplay() {
    // Revoked while its session is open: only a reissue does that.
    assertThat(decide(state(null, false, NOW, null), "client")).isEqualTo(RefreshDecision.REPLAY);
  }

  @Test
  void finishedSessionsDeactivatedAccountsAndForeignClientsAreInvalid() {
    assertThat(decide(state(null, false, NOW, NOW), "client")).isEqualTo(RefreshDecision.INVALID);
    assertThat(decide(state(null, false, null, NOW), "client")).isEqualTo(RefreshDecision.INVALID);
    assertThat(decide(state(null, false, null, null), "other")).isEqualTo(RefreshDecision.INVALID);
    assertThat(decide(state(null, false, NOW, null), "other")).isEqualTo(RefreshDecision.INVALID);
    RefreshState deactivated = new RefreshState(UUID.randomUUID(), UUID.randomUUID(), null, null, null, false, "client",
        UUID.randomUUID(), "alice", false, NOW, "DEVICE1234", "scope", null);
    assertThat(decide(deactivated, "client")).isEqualTo(RefreshDecision.INVALID);
  }
}
