package org.gatehouse.auth.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeviceGrantStateTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static DeviceGrant pending() {
    return new DeviceGrant(UUID.randomUUID(), "BCDF-GHJK", "client", "scope", DeviceGrant.State.PENDING, 5, T0,
        T0.plusSeconds(600), null, "1.2.3.4", "agent", null, null, null);
  }

  @Test
  void pendingThenApprovedThenExchanged() {
    DeviceGrant grant = pending();
    assertThat(grant.poll(T0.plusSeconds(1))).isEqualTo(DeviceGrant.PollOutcome.PENDING);
    DeviceGrant approved = grant.approve(UUID.randomUUID(), T0.plusSeconds(2));
    assertThat(approved.poll(T0.plusSeconds(3))).isEqualTo(DeviceGrant.PollOutcome.APPROVED);
    DeviceGrant exchanged = approved.exchanged(UUID.randomUUID());
    assertThat(exchanged.poll(T0.plusSeconds(4))).isEqualTo(DeviceGrant.PollOutcome.ALREADY_EXCHANGED);
    assertThatThrownBy(() -> exchanged.exchanged(UUID.randomUUID())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void deniedGrantsStayDenied() {
    DeviceGrant denied = pending().deny(UUID.randomUUID(), T0.plusSeconds(1));
    assertThat(denied.poll(T0.plusSeconds(2))).isEqualTo(DeviceGrant.PollOutcome.DENIED);
    assertThatThrownBy(() -> denied.approve(UUID.randomUUID(), T0.plusSeconds(3))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> denied.exchanged(UUID.randomUUID())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void expiryIsAViewOfTime() {
    DeviceGrant grant = pending();
    assertThat(grant.poll(T0.plusSeconds(600))).isEqualTo(DeviceGrant.PollOutcome.EXPIRED);
    assertThat(grant.awaitingUser(T0.plusSeconds(600))).isFalse();
    assertThatThrownBy(() -> grant.approve(UUID.randomUUID(), T0.plusSeconds(601))).hasMessageContaining("expired");
  }

  @Test
  void approvedCodeFoundAfterItsExpiryIsExpired() {
    DeviceGrant approved = pending().approve(UUID.randomUUID(), T0.plusSeconds(10));
    assertThat(approved.poll(T0.plusSeconds(599))).isEqualTo(DeviceGrant.PollOutcome.APPROVED);
    assertThat(approved.poll(T0.plusSeconds(600))).isEqualTo(DeviceGrant.PollOutcome.EXPIRED);
    assertThat(approved.poll(T0.plus(java.time.Duration.ofDays(3)))).isEqualTo(DeviceGrant.PollOutcome.EXPIRED);
  }

  @Test
  void clientAnsweredSlowDownOverAndOverWaitsAtMostSixtySeconds() {
    DeviceGrant grant = pending();
    for (int i = 0; i < 100; i++) {
      grant = grant.polled(T0.plusSeconds(i), DeviceGrant.PollOutcome.SLOW_DOWN);
    }
    assertThat(grant.intervalSeconds()).isEqualTo(DeviceGrant.MAX_INTERVAL_SECONDS);
  }

  @Test
  void pollingFasterThanTheIntervalSlowsDownAndGrowsTheInterval() {
    DeviceGrant answered = pending().polled(T0.plusSeconds(10), DeviceGrant.PollOutcome.PENDING);
    assertThat(answered.poll(T0.plusSeconds(12))).isEqualTo(DeviceGrant.PollOutcome.SLOW_DOWN);
    assertThat(answered.poll(T0.plusSeconds(15))).isEqualTo(DeviceGrant.PollOutcome.PENDING);
    DeviceGrant slowed = answered.polled(T0.plusSeconds(12), DeviceGrant.PollOutcome.SLOW_DOWN);
    assertThat(slowed.intervalSeconds()).isEqualTo(10);
    assertThat(slowed.poll(T0.plusSeconds(18))).isEqualTo(DeviceGrant.PollOutcome.SLOW_DOWN);
    assertThat(slowed.poll(T0.plusSeconds(22))).isEqualTo(DeviceGrant.PollOutcome.PENDING);
  }

  @Test
  void userCodesAreUnambiguousAndForgivingToType() {
    String code = UserCodes.generate();
    assertThat(code).matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");
    assertThat(UserCodes.normalise(code.toLowerCase().replace("-", " "))).isEqualTo(code);
    assertThat(UserCodes.normalise("bcdfghjk")).isEqualTo("BCDF-GHJK");
    assertThat(UserCodes.normalise("BCDF-GHJA")).as("vowels are never in a code").isNull();
    assertThat(UserCodes.normalise("BCD")).isNull();
    assertThat(UserCodes.normalise(null)).isNull();
  }
}
