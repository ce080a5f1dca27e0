package org.gatehouse.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccessLogRedactionTest {
  @Test
  void secretLookingQueryValuesAreRedacted() {
    assertThat(AccessLog.safeTarget("/x", "access_token=syt_abc&user_id=%40a%3Ab&code=xyz&client_secret=s"))
        .isEqualTo("/x?access_token=[redacted]&user_id=%40a%3Ab&code=[redacted]&client_secret=[redacted]");
  }

  @Test
  void plainQueriesAreKept() {
    assertThat(AccessLog.safeTarget("/x", "from=abc&limit=10")).isEqualTo("/x?from=abc&limit=10");
    assertThat(AccessLog.safeTarget("/x", null)).isEqualTo("/x");
  }
}
