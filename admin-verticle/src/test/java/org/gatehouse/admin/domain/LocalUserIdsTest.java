package org.gatehouse.admin.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.gatehouse.common.http.MatrixError;
import org.junit.jupiter.api.Test;

class LocalUserIdsTest {
  final LocalUserIds ids = new LocalUserIds("example.org");

  @Test
  void acceptsUsersOfThisServerIncludingHistoricalLocalparts() {
    for (String id : List.of("@alice:example.org", "@a.b_c=d-e/f+g:example.org", "@Alice!:example.org",
        "@" + "x".repeat(242) + ":example.org")) {
      assertThat(ids.requireLocal(id)).isEqualTo(id);
    }
  }

  @Test
  void refusesOtherServersAndMalformedIdsWithInvalidParam() {
    for (String id : List.of("@alice:example.com", "@alice:example.org:8448", "@alice:EXAMPLE.ORG", "alice",
        "@alice", "@:example.org", "@alice:", "@al ice:example.org", "@alé:example.org", "#room:example.org",
        "@" + "x".repeat(243) + ":example.org", "")) {
      assertThatThrownBy(() -> ids.requireLocal(id)).as(id).isInstanceOfSatisfying(MatrixError.class, e -> {
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.errcode()).isEqualTo("M_INVALID_PARAM");
      });
    }
    assertThatThrownBy(() -> ids.requireLocal(null)).isInstanceOf(MatrixError.class);
  }
}
