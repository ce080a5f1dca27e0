package org.gatehouse.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.gatehouse.common.config.ConfigException;
import org.gatehouse.common.config.ConfigNode;
import org.gatehouse.common.module.NodeSettings;
import org.junit.jupiter.api.Test;

/** The {@code auth} section as the operator writes it. */
class AuthConfigTest {
  static final NodeSettings NODE = new NodeSettings("test.local", URI.create("http://127.0.0.1:8080/"));

  static AuthConfig read(Map<String, Object> section) {
    ConfigNode root = ConfigNode.of(Map.of("auth", section));
    return AuthConfig.read(root.section("auth"), NODE);
  }

  @Test
  void theLegacyLoginApiIsOnUnlessTurnedOffAndTrustsNoRedirectByDefault() {
    assertThat(read(Map.of()).legacyLogin()).isEqualTo(new AuthConfig.LegacyLogin(true, true, List.of()));
    assertThat(read(Map.of("legacy_login", Map.of("password", false, "sso", false,
        "trusted_redirects", List.of("https://app.example.org/"))))
        .legacyLogin()).isEqualTo(new AuthConfig.LegacyLogin(false, false, List.of("https://app.example.org/")));
    // Relative, and a bare host, which as a prefix would also trust https://app.example.org.attacker.example/.
    for (String bad : List.of("/relative", "https://app.example.org")) {
      assertThatThrownBy(() -> read(Map.of("legacy_login", Map.of("trusted_redirects", List.of(bad))))).as(bad)
          .isInstanceOf(ConfigException.class).hasMessageContaining("legacy_login.trusted_redirects");
    }
  }

  @Test
  void aPublicStaticClientMayNotIntrospectSoAnyoneKnowingItsIdCannotReadTokens() {
    assertThatThrownBy(() -> read(Map.of("static_clients", List.of(Map.of("client_id", "dashboard",
        "token_endpoint_auth_method", "none", "may_introspect", true)))))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo("auth.static_clients[0].may_introspect");
          assertThat(e.getMessage()).startsWith("auth.static_clients[0].may_introspect: a public client"
              + " (token_endpoint_auth_method: none) has no credentials, so it cannot be allowed to introspect");
        });
  }

  @Test
  void confidentialStaticClientsMayIntrospectAndPublicOnesMayExistWithout() {
    AuthConfig config = read(Map.of("static_clients", List.of(
        Map.of("client_id", "homeserver", "client_secret", "a-long-enough-secret", "may_introspect", true),
        Map.of("client_id", "public-app", "token_endpoint_auth_method", "none", "application_type", "native",
            "redirect_uris", List.of("http://127.0.0.1/callback"), "grant_types", List.of("authorization_code")))));
    assertThat(config.staticClients()).extracting(AuthConfig.StaticClient::clientId, AuthConfig.StaticClient::mayIntrospect)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("homeserver", true),
            org.assertj.core.groups.Tuple.tuple("public-app", false));
  }
}
