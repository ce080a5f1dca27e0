package org.gatehouse.auth.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RefreshDecisionTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static RefreshState state(Instant consumed, boolean nextUsed, Instant revoked, Instant finished) {
    return new RefreshState(UUID.randomUUID(), UUID.randomUUID(), consumed, revoked, consumed == null ? null : UUID.randomUUID(),
        nextUsed, "client", UUID.randomUUID(), "alice", false, null, "DEVICE1234", "scope", finished);
  }

  @Test
  void firstUseRotates() {
    assertThat(RefreshDecision.of(state(null, false, null, null), "client", NOW)).isEqualTo(RefreshDecision.ROTATE);
  }

  @Test
  void reuseBeforeTheSuccessorWasUsedIsALostResponse() {
    assertThat(RefreshDecision.of(state(NOW, false, null, null), "client", NOW)).isEqualTo(RefreshDecision.REISSUE);
  }

  @Test
  void reuseAfterTheSuccessorWasUsedIsReplay() {
    assertThat(RefreshDecision.of(state(NOW, true, null, null), "client", NOW)).isEqualTo(RefreshDecision.REPLAY);
  }

  @Test
  void revokedFinishedOrForeignTokensAreInvalid() {
    assertThat(RefreshDecision.of(state(null, false, NOW, null), "client", NOW)).isEqualTo(RefreshDecision.INVALID);
    assertThat(RefreshDecision.of(state(null, false, null, NOW), "client", NOW)).isEqualTo(RefreshDecision.INVALID);
    assertThat(RefreshDecision.of(state(null, false, null, null), "other", NOW)).isEqualTo(RefreshDecision.INVALID);
  }
}
