package org.gatehouse.auth.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScopeTest {
  @Test
  void stableAndUnstableFormsAreUnderstood() {
    Scope stable = Scope.parse("urn:matrix:client:api:* urn:matrix:client:device:AAABBBCCCDDD openid");
    assertThat(stable.api()).isTrue();
    assertThat(stable.deviceId()).isEqualTo("AAABBBCCCDDD");
    assertThat(stable.openid()).isTrue();
    Scope unstable = Scope.parse("urn:matrix:org.matrix.msc2967.client:api:* "
        + "urn:matrix:org.matrix.msc2967.client:device:AAABBBCCCDDD");
    assertThat(unstable.api()).isTrue();
    assertThat(unstable.deviceId()).isEqualTo("AAABBBCCCDDD");
    assertThat(unstable.text()).isEqualTo("urn:matrix:org.matrix.msc2967.client:api:* "
        + "urn:matrix:org.matrix.msc2967.client:device:AAABBBCCCDDD");
  }

  @Test
  void exactlyOneDeviceWithTheApiScope() {
    assertThatThrownBy(() -> Scope.parse("urn:matrix:client:api:*")).hasMessageContaining("exactly one device");
    assertThatThrownBy(() -> Scope.parse("urn:matrix:client:api:* urn:matrix:client:device:AAAAAAAAAA "
        + "urn:matrix:client:device:BBBBBBBBBB")).hasMessageContaining("exactly one device");
    assertThatThrownBy(() -> Scope.parse("urn:matrix:client:device:AAAAAAAAAA")).hasMessageContaining("API scope");
  }

  @Test
  void deviceIdsUseTheUnreservedAlphabetAndAreLongEnough() {
    assertThat(Scope.parse("urn:matrix:client:api:* urn:matrix:client:device:abc.DEF_12~-x").deviceId())
        .isEqualTo("abc.DEF_12~-x");
    assertThatThrownBy(() -> Scope.parse("urn:matrix:client:api:* urn:matrix:client:device:SHORT"))
        .hasMessageContaining("10 to 128");
    assertThatThrownBy(() -> Scope.parse("urn:matrix:client:api:* urn:matrix:client:device:has/slash/abc"))
        .hasMessageContaining("10 to 128");
  }

  @Test
  void unknownScopesAreRefusedAndOpenidAloneIsFine() {
    assertThatThrownBy(() -> Scope.parse("urn:matrix:client:api:* urn:matrix:client:device:AAAAAAAAAA email"))
        .hasMessageContaining("unknown scope email");
    assertThat(Scope.parse("openid").openid()).isTrue();
    assertThatThrownBy(() -> Scope.parse("  ")).hasMessageContaining("required");
  }

  @Test
  void introspectionNamesEveryMatrixScopeInBothFormsInAFixedOrder() {
    String both = "urn:matrix:client:api:* urn:matrix:org.matrix.msc2967.client:api:* "
        + "urn:matrix:client:device:AAAAAAAAAA urn:matrix:org.matrix.msc2967.client:device:AAAAAAAAAA";
    assertThat(Scope.withBothMatrixForms("urn:matrix:client:api:* urn:matrix:client:device:AAAAAAAAAA")).isEqualTo(both);
    assertThat(Scope.withBothMatrixForms("urn:matrix:org.matrix.msc2967.client:api:* "
        + "urn:matrix:org.matrix.msc2967.client:device:AAAAAAAAAA")).isEqualTo(both);
    assertThat(Scope.withBothMatrixForms("urn:matrix:org.matrix.msc2967.client:device:AAAAAAAAAA "
        + "urn:matrix:client:api:* urn:matrix:client:device:AAAAAAAAAA urn:matrix:org.matrix.msc2967.client:api:*"))
        .isEqualTo("urn:matrix:client:device:AAAAAAAAAA urn:matrix:org.matrix.msc2967.client:device:AAAAAAAAAA "
            + "urn:matrix:client:api:* urn:matrix:org.matrix.msc2967.client:api:*");
    assertThat(Scope.withBothMatrixForms("openid urn:matrix:client:api:* urn:synapse:admin:* "
        + "urn:matrix:client:device:AAAAAAAAAA"))
        .isEqualTo("openid urn:matrix:client:api:* urn:matrix:org.matrix.msc2967.client:api:* urn:synapse:admin:* "
            + "urn:matrix:client:device:AAAAAAAAAA urn:matrix:org.matrix.msc2967.client:device:AAAAAAAAAA");
    assertThat(Scope.withBothMatrixForms("openid")).isEqualTo("openid");
  }

  @Test
  void adminScopeIsRecognised() {
    Scope scope = Scope.parse("urn:matrix:client:api:* urn:synapse:admin:* urn:matrix:client:device:AAAAAAAAAA");
    assertThat(scope.admin()).isTrue();
    assertThat(scope.withoutAdmin().text()).doesNotContain("admin");
  }
}
