package org.gatehouse.homeserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.gatehouse.common.config.ConfigException;
import org.gatehouse.common.config.ConfigNode;
import org.gatehouse.common.module.NodeSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HomeserverConfigTest {
  static final NodeSettings NODE = new NodeSettings("example.org", URI.create("https://example.org/"));
  static final String SECRET = "a-secret-of-enough-length";

  @TempDir
  Path dir;

  HomeserverConfig read(Map<String, Object> section) {
    ConfigNode root = ConfigNode.of(Map.of("homeserver", section));
    HomeserverConfig config = new HomeserverModule().configure(root.section("homeserver"), NODE);
    root.rejectUnknownKeys();
    return config;
  }

  @Test
  void noSectionIsStandaloneAndTellsTheOtherModulesNothing() {
    HomeserverConfig config = read(Map.of());
    assertThat(config.enabled()).isFalse();
    assertThat(new HomeserverModule().enabled(config)).isFalse();
    assertThat(new HomeserverModule().contribute(config, NODE).homeserver()).isEmpty();
  }

  @Test
  void aSectionTellsTheOtherModulesTheSecretAndHowLongToWait() {
    HomeserverConfig config = read(Map.of("kind", "synapse", "endpoint", "http://synapse:8008", "secret", SECRET,
        "request_timeout", "2s", "connect_timeout", "1s"));
    assertThat(config.endpoint()).isEqualTo(URI.create("http://synapse:8008/"));
    NodeSettings.HomeserverLink link = new HomeserverModule().contribute(config, NODE).homeserver().orElseThrow();
    assertThat(link.sharedSecret()).isEqualTo(SECRET);
    // Longer than an upsert's three calls, so the connector's own error arrives before the bus gives up.
    assertThat(link.callTimeout()).isGreaterThan(java.time.Duration.ofSeconds(7));
    assertThat(link.toString()).doesNotContain(SECRET);
    assertThat(config.toString()).doesNotContain(SECRET);
  }

  @Test
  void theServiceAccountHasADefaultNameAndOnlyANameTheHomeserverWouldTake() {
    Map<String, Object> base = Map.of("endpoint", "http://synapse:8008/", "secret", SECRET);
    HomeserverConfig config = read(base);
    assertThat(config.serviceAccount()).isEqualTo("gatehouse-service");
    assertThat(new HomeserverModule().contribute(config, NODE).homeserver().orElseThrow().serviceAccount())
        .isEqualTo("gatehouse-service");
    assertThat(read(TestMaps.with(base, "service_account", "moderation-bot")).serviceAccount())
        .isEqualTo("moderation-bot");
    for (String bad : new String[] {"_gatehouse", "Gatehouse", "with space"}) {
      assertThatThrownBy(() -> read(TestMaps.with(base, "service_account", bad))).as(bad)
          .isInstanceOf(ConfigException.class).hasMessageContaining("homeserver.service_account");
    }
  }

  @Test
  void theSecretComesFromAFileTrimmedAsSynapseReadsIt() throws Exception {
    Path file = dir.resolve("secret");
    Files.writeString(file, SECRET + "\n");
    assertThat(read(Map.of("endpoint", "http://synapse:8008/", "secret_file", file.toString())).secret())
        .isEqualTo(SECRET);
  }

  @Test
  void theDiscoveryAnswerIsKeptHalfAMinuteUnlessToldOtherwise() {
    assertThat(read(Map.of("endpoint", "http://synapse:8008/", "secret", SECRET)).discoveryCache())
        .isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(read(Map.of("endpoint", "http://synapse:8008/", "secret", SECRET, "discovery_cache", "0s"))
        .discoveryCache()).isZero();
    assertThat(read(Map.of("endpoint", "http://synapse:8008/", "secret", SECRET, "discovery_cache", "250ms"))
        .discoveryCache()).isEqualTo(java.time.Duration.ofMillis(250));
    assertThatThrownBy(() -> read(Map.of("endpoint", "http://synapse:8008/", "secret", SECRET,
        "discovery_cache", "2h")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("homeserver.discovery_cache: expected a duration from 0s to 1h");
    assertThatThrownBy(() -> read(Map.of("endpoint", "http://synapse:8008/", "secret", SECRET,
        "discovery_cache", "30")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("homeserver.discovery_cache:");
  }

  @Test
  void mistakesAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> read(Map.of("endpoint", "http://synapse:8008/")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("homeserver.secret: set exactly one of");
    assertThatThrownBy(() -> read(Map.of("endpoint", "http://synapse:8008/", "secret", SECRET, "secret_file", "/x")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("homeserver.secret: set exactly one of");
    assertThatThrownBy(() -> read(Map.of("endpoint", "http://synapse:8008/", "secret", "short")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("at least 16 characters");
    assertThatThrownBy(() -> read(Map.of("endpoint", "synapse:8008", "secret", SECRET)))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("homeserver.endpoint:");
    assertThatThrownBy(() -> read(Map.of("endpoint", "http://synapse:8008/", "secret", SECRET, "kind", "dendrite")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("homeserver.kind:");
    assertThatThrownBy(() -> read(Map.of("endpoint", "http://synapse:8008/", "secret_file", dir.resolve("none").toString())))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("homeserver.secret_file: cannot read");
    assertThatThrownBy(() -> read(Map.of("endpoint", "http://synapse:8008/", "secret", SECRET, "timeout", "2s")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("homeserver.timeout: unknown key");
  }

  /** Map literals with one more key. */
  static final class TestMaps {
    static Map<String, Object> with(Map<String, Object> map, String key, Object value) {
      Map<String, Object> copy = new java.util.HashMap<>(map);
      copy.put(key, value);
      return copy;
    }
  }
}
