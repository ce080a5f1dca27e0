package org.gatehouse.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gatehouse.common.config.ConfigException;
import org.gatehouse.common.config.ConfigLoader;
import org.gatehouse.common.config.ConfigNode;
import org.gatehouse.server.cli.Modules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatehouseConfigTest {
  static final Path CONF = Path.of("..", "conf");

  @TempDir
  Path dir;

  @Test
  void shippedDefaultFileEqualsTheBuiltInDefaults() {
    GatehouseConfig fromFile = GatehouseConfig.load(CONF.resolve("gatehouse.yaml"), Map.of(), Modules.all());
    GatehouseConfig builtIn = GatehouseConfig.load(null, Map.of(), Modules.all());
    assertThat(fromFile.http()).isEqualTo(builtIn.http());
    assertThat(fromFile.cluster()).isEqualTo(builtIn.cluster());
    assertThat(fromFile.matrix()).isEqualTo(builtIn.matrix());
    assertThat(fromFile.node()).isEqualTo(builtIn.node());
    assertThat(fromFile.logging()).isEqualTo(builtIn.logging());
    assertThat(fromFile.database().embeddedDataDir()).isEqualTo(builtIn.database().embeddedDataDir());
    assertThat(fromFile.database().external()).isEmpty();
    for (int i = 0; i < builtIn.modules().size(); i++) {
      assertThat(fromFile.modules().get(i).config()).isEqualTo(builtIn.modules().get(i).config());
    }
  }

  @Test
  void shippedDefaultFileDocumentsEveryKeyTheCodeReads() {
    ConfigNode defaults = ConfigLoader.load(null, Map.of());
    GatehouseConfig.read(defaults, Modules.all());
    ConfigNode file = ConfigLoader.load(CONF.resolve("gatehouse.yaml"), Map.of());
    GatehouseConfig.read(file, Modules.all());
    assertThat(file.keysPresent()).isEqualTo(defaults.keysRead());
  }

  @Test
  void theIntrospectionSecretIsTheHomeserversAndAnotherOneIsRefused() {
    Map<String, Object> homeserver = Map.of("endpoint", "http://127.0.0.1:8008/", "secret", "one-secret-both-ways");
    GatehouseConfig config = GatehouseConfig.read(ConfigNode.of(Map.of("homeserver", homeserver)), Modules.all());
    assertThat(config.node().homeserver()).isPresent();
    var auth = (org.gatehouse.auth.AuthConfig) config.modules().stream()
        .filter(m -> m.module() instanceof org.gatehouse.auth.AuthModule).findFirst().orElseThrow().config();
    assertThat(auth.introspectionSecret()).contains("one-secret-both-ways");
    assertThatThrownBy(() -> GatehouseConfig.read(ConfigNode.of(Map.of("homeserver", homeserver,
        "auth", Map.of("introspection", Map.of("shared_secret", "another-secret-entirely")))), Modules.all()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("auth.introspection.shared_secret: differs from homeserver.secret");
    assertThat(GatehouseConfig.read(ConfigNode.of(Map.of()), Modules.all()).node().homeserver()).isEmpty();
  }

  @Test
  void clusterExampleIsValid() throws Exception {
    Path secret = dir.resolve("cluster-secret");
    Files.writeString(secret, "0123456789abcdef0123456789abcdef-example\n");
    GatehouseConfig config = GatehouseConfig.load(CONF.resolve("cluster-example.yaml"),
        Map.of("GATEHOUSE_CLUSTER__SECRET_FILE", secret.toString()), Modules.all());
    assertThat(config.cluster().members()).hasSize(3);
    assertThat(config.cluster().secret()).contains("0123456789abcdef0123456789abcdef-example");
    assertThat(config.database().external()).isPresent();
  }

  @Test
  void aClusterOfSeveralNodesNeedsANameAndASecret() {
    Map<String, String> others = Map.of("GATEHOUSE_CLUSTER__MEMBERS", "127.0.0.1:5701,10.0.0.2:5701");
    assertThatThrownBy(() -> GatehouseConfig.load(null, others, Modules.all()))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("cluster.name: required when cluster.members lists "
            + "other members");
    Map<String, String> named = new java.util.HashMap<>(others);
    named.put("GATEHOUSE_CLUSTER__NAME", "prod");
    assertThatThrownBy(() -> GatehouseConfig.load(null, named, Modules.all()))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("cluster.secret: required when cluster.members "
            + "lists other members");
    named.put("GATEHOUSE_CLUSTER__SECRET", "too-short");
    assertThatThrownBy(() -> GatehouseConfig.load(null, named, Modules.all()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cluster.secret (from GATEHOUSE_CLUSTER__SECRET): the cluster secret must be at least 32");
    named.put("GATEHOUSE_CLUSTER__SECRET", "a-secret-of-at-least-32-characters!");
    assertThat(GatehouseConfig.load(null, named, Modules.all()).cluster().toString()).doesNotContain("32-characters");
    named.put("GATEHOUSE_CLUSTER__SECRET_FILE", "/nonexistent");
    assertThatThrownBy(() -> GatehouseConfig.load(null, named, Modules.all()))
        .hasMessageStartingWith("cluster.secret (from GATEHOUSE_CLUSTER__SECRET): set at most one of");
    // Alone (the member list names only this node, or nobody), both may be left to the data directory.
    GatehouseConfig alone = GatehouseConfig.load(null, Map.of("GATEHOUSE_CLUSTER__MEMBERS", "127.0.0.1:5701"),
        Modules.all());
    assertThat(alone.cluster().name()).isEmpty();
    assertThat(alone.cluster().secret()).isEmpty();
    assertThat(alone.dataDir()).isEqualTo(Path.of("./data"));
    assertThatThrownBy(() -> GatehouseConfig.load(null, Map.of("GATEHOUSE_CLUSTER__HOST", "0.0.0.0"), Modules.all()))
        .hasMessageStartingWith("cluster.host (from GATEHOUSE_CLUSTER__HOST): expected this member's own address");
  }

  @Test
  void misspelledKeyIsRefusedNamingIt() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "http:\n  prot: 8081\n");
    assertThatThrownBy(() -> GatehouseConfig.load(file, Map.of(), Modules.all()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("http.prot: unknown key (did you mean http.port?)");
  }

  @Test
  void impossibleValuesAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> GatehouseConfig.load(null, Map.of("GATEHOUSE_HTTP__PORT", "70000"), Modules.all()))
        .hasMessage("http.port (from GATEHOUSE_HTTP__PORT): expected an integer from 0 to 65535, got 70000");
    assertThatThrownBy(() -> GatehouseConfig.load(null, Map.of("GATEHOUSE_DATABASE__URL", "mysql://x"), Modules.all()))
        .hasMessageStartingWith("database.url (from GATEHOUSE_DATABASE__URL): expected a URL such as postgresql://");
    assertThatThrownBy(() -> GatehouseConfig.load(null, Map.of("GATEHOUSE_PUBLIC_BASE_URL", "ftp://x"), Modules.all()))
        .hasMessageStartingWith("public_base_url (from GATEHOUSE_PUBLIC_BASE_URL): expected an absolute http(s) URL");
    assertThatThrownBy(() -> GatehouseConfig.load(null, Map.of("GATEHOUSE_PUBLIC_BASE_URL",
        "https://example.org/auth/"), Modules.all()))
        .hasMessageStartingWith("public_base_url (from GATEHOUSE_PUBLIC_BASE_URL): expected the root of a host");
    assertThatThrownBy(() -> GatehouseConfig.load(null, Map.of("GATEHOUSE_PUBLIC_BASE_URL", "http://auth.example.org/"),
        Modules.all()))
        .hasMessageStartingWith("public_base_url (from GATEHOUSE_PUBLIC_BASE_URL): expected an https:// URL (http:// only on"
            + " a loopback host");
    for (String loopback : List.of("http://127.0.0.1:8080/", "http://localhost/", "http://[::1]:8080/",
        "http://127.0.0.2/", "https://auth.example.org/")) {
      assertThat(GatehouseConfig.load(null, Map.of("GATEHOUSE_PUBLIC_BASE_URL", loopback), Modules.all()).node()
          .publicBaseUrl()).hasToString(loopback);
    }
    assertThatThrownBy(() -> GatehouseConfig.load(null, Map.of("GATEHOUSE_HTTP__TRUSTED_PROXIES", "10.0.0.0/8,nonsense"),
        Modules.all())).hasMessageStartingWith("http.trusted_proxies[1]");
    assertThatThrownBy(() -> GatehouseConfig.load(null, Map.of("GATEHOUSE_CLUSTER__MEMBERS", "a b"), Modules.all()))
        .hasMessageStartingWith("cluster.members[0]");
    assertThatThrownBy(() -> GatehouseConfig.load(null, Map.of("GATEHOUSE_SERVER_NAME", "bad name"), Modules.all()))
        .hasMessageStartingWith("server_name");
    // A session nobody signed in to may not outlive a signed-in one.
    assertThatThrownBy(() -> GatehouseConfig.load(null,
        Map.of("GATEHOUSE_AUTH__ANONYMOUS_WEB_SESSION_IDLE_TIMEOUT", "1h"), Modules.all()))
        .hasMessageStartingWith("auth.anonymous_web_session_idle_timeout (from "
            + "GATEHOUSE_AUTH__ANONYMOUS_WEB_SESSION_IDLE_TIMEOUT): expected a duration from 1s to 30m");
  }

  @Test
  void environmentOverridesTheFile() throws Exception {
    GatehouseConfig config = GatehouseConfig.load(CONF.resolve("gatehouse.yaml"),
        Map.of("GATEHOUSE_HTTP__PORT", "9191", "GATEHOUSE_DATABASE__URL", "postgresql://u:p@db:5433/gh"), Modules.all());
    assertThat(config.http().port()).isEqualTo(9191);
    assertThat(config.database().external()).hasValueSatisfying(o -> {
      assertThat(o.getHost()).isEqualTo("db");
      assertThat(o.getPort()).isEqualTo(5433);
      assertThat(o.getDatabase()).isEqualTo("gh");
    });
  }
}
