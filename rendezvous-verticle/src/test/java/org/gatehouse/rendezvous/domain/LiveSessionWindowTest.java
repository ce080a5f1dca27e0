package org.gatehouse.rendezvous.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LiveSessionWindowTest {
  static final long NOW = 1_000_000_000_000L;

  @Test
  void refusesPastTheMaximumAndSaysWhenTheEarliestSlotFreesUp() {
    LiveSessionWindow window = new LiveSessionWindow();
    assertThat(window.tryReserve(NOW + 120_000, NOW, 2)).isZero();
    assertThat(window.tryReserve(NOW + 125_500, NOW + 5_500, 2)).isZero();
    long wait = window.tryReserve(NOW + 130_000, NOW + 10_000, 2);
    // The first session expires at NOW + 120 s: its slot is free from then on.
    assertThat(wait).isEqualTo(110_000);
    assertThat(window.live(NOW + 10_000)).isEqualTo(2);
  }

  @Test
  void expiredSessionsLeaveTheWindowByThemselvesNeverEarly() {
    LiveSessionWindow window = new LiveSessionWindow();
    window.tryReserve(NOW + 120_300, NOW, 1);
    // Rounded up to the next second: still counted until it has certainly expired.
    assertThat(window.live(NOW + 120_300)).isEqualTo(1);
    assertThat(window.live(NOW + 120_999)).isEqualTo(1);
    assertThat(window.live(NOW + 121_000)).isZero();
    assertThat(window.tryReserve(NOW + 241_000, NOW + 121_000, 1)).isZero();
  }

  @Test
  void releaseGivesTheSlotBackOnce() {
    LiveSessionWindow window = new LiveSessionWindow();
    window.tryReserve(NOW + 120_000, NOW, 1);
    assertThat(window.tryReserve(NOW + 120_000, NOW, 1)).isPositive();
    window.release(NOW + 120_000, NOW + 1);
    assertThat(window.live(NOW + 1)).isZero();
    window.release(NOW + 120_000, NOW + 1);
    assertThat(window.live(NOW + 1)).isZero();
    assertThat(window.tryReserve(NOW + 120_000, NOW + 1, 1)).isZero();
  }

  @Test
  void survivesARoundTripThroughItsBuckets() {
    LiveSessionWindow window = new LiveSessionWindow();
    window.tryReserve(NOW + 1_000, NOW, 10);
    window.tryReserve(NOW + 1_000, NOW, 10);
    window.tryReserve(NOW + 5_000, NOW, 10);
    LiveSessionWindow copy = new LiveSessionWindow(window.buckets());
    assertThat(copy.live(NOW)).isEqualTo(3);
    assertThat(copy.live(NOW + 1_000)).isEqualTo(1);
  }
}
