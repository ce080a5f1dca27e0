package org.gatehouse.admin.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusFilterTest {
  static Moderation of(boolean suspended, boolean locked) {
    RestrictionState on = new RestrictionState(true, Instant.EPOCH, "@root:x", null);
    return new Moderation("@u:x", suspended ? on : RestrictionState.NEVER_SET, locked ? on : RestrictionState.NEVER_SET,
        suspended || locked ? 1 : 0);
  }

  @Test
  void statusesAreDefinedAsDocumented() {
    assertThat(StatusFilter.ACTIVE.matches(false, of(false, false))).isTrue();
    assertThat(StatusFilter.ACTIVE.matches(false, of(true, false))).isFalse();
    assertThat(StatusFilter.ACTIVE.matches(false, of(false, true))).isFalse();
    assertThat(StatusFilter.ACTIVE.matches(true, of(false, false))).isFalse();
    assertThat(StatusFilter.SUSPENDED.matches(false, of(true, true))).isTrue();
    assertThat(StatusFilter.LOCKED.matches(false, of(true, true))).isTrue();
    assertThat(StatusFilter.LOCKED.matches(true, of(false, true))).isFalse();
    assertThat(StatusFilter.SUSPENDED.matches(true, of(true, false))).isFalse();
    assertThat(StatusFilter.DEACTIVATED.matches(true, of(true, true))).isTrue();
    assertThat(StatusFilter.DEACTIVATED.matches(false, of(false, false))).isFalse();
  }
}
