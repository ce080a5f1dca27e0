package org.gatehouse.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.gatehouse.common.config.ConfigException;
import org.gatehouse.common.config.ConfigNode;
import org.gatehouse.common.module.NodeSettings;
import org.gatehouse.infra.ratelimit.RateLimit;
import org.gatehouse.common.testing.LogCapture;
import org.junit.jupiter.api.Test;

class RendezvousConfigTest {
  static final NodeSettings NODE = new NodeSettings("test.local", URI.create("http://127.0.0.1:8080/"));

  static RendezvousConfig read(Map<String, Object> section) {
    ConfigNode root = ConfigNode.of(Map.of("rendezvous", section));
    RendezvousConfig config = RendezvousConfig.read(root.section("rendezvous"), NODE);
    root.rejectUnknownKeys();
    return config;
  }

  @Test
  void defaults() {
    RendezvousConfig config = read(Map.of());
    assertThat(config).isEqualTo(RendezvousConfig.DEFAULTS);
    assertThat(config.msc4388Mode()).isEqualTo(RendezvousConfig.Msc4388Mode.OPEN);
    assertThat(config.msc4108Enabled()).isTrue();
    assertThat(config.sessionLifetime()).isEqualTo(Duration.ofSeconds(120));
    assertThat(config.maxPayloadChars()).isEqualTo(4096);
    assertThat(config.maxSessions()).isEqualTo(10_000);
    assertThat(config.backupCount()).isEqualTo(1);
  }

  @Test
  void everyKeyIsRead() {
    RendezvousConfig config = read(Map.of(
        "msc4388", Map.of("mode", "authenticated"),
        "msc4108", Map.of("enabled", false),
        "session_lifetime", "5m",
        "max_payload_chars", 8192,
        "max_sessions", 50_000,
        "backup_count", 2,
        "long_poll", Map.of("max_wait", "10s", "max_waiters", 5),
        "rate_limits", Map.of("create", Map.of("per_second", "0.5", "burst", 3),
            "access", Map.of("per_second", 10, "burst", 0)),
        "read_cache", Map.of("max_sessions", 0)));
    assertThat(config).isEqualTo(new RendezvousConfig(RendezvousConfig.Msc4388Mode.AUTHENTICATED, false,
        Duration.ofMinutes(5), 8192, 50_000, 2, Duration.ofSeconds(10), 5, new RateLimit(0.5, 3),
        new RateLimit(10, 0), 0));
    assertThat(config.accessLimit().unlimited()).isTrue();
  }

  @Test
  void lifetimesOutside30To600SecondsAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> read(Map.of("session_lifetime", "29s")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("rendezvous.session_lifetime: expected a duration from 30s to 10m");
    assertThatThrownBy(() -> read(Map.of("session_lifetime", "601s")))
        .hasMessageStartingWith("rendezvous.session_lifetime: expected a duration from 30s to 10m");
    assertThatThrownBy(() -> read(Map.of("session_lifetime", 120)))
        .hasMessageStartingWith("rendezvous.session_lifetime:");
    assertThat(read(Map.of("session_lifetime", "30s")).sessionLifetime()).isEqualTo(Duration.ofSeconds(30));
    assertThat(read(Map.of("session_lifetime", "10m")).sessionLifetime()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void lifetimesOutsideTheRecommended120To300SecondsStartWithAWarning() {
    try (LogCapture log = new LogCapture(RendezvousConfig.class.getName())) {
      read(Map.of("session_lifetime", "120s"));
      read(Map.of("session_lifetime", "300s"));
      assertThat(log.lines()).isEmpty();
      read(Map.of("session_lifetime", "60s"));
      read(Map.of("session_lifetime", "301s"));
      assertThat(log.lines()).hasSize(2).allMatch(l -> l.startsWith("rendezvous.session_lifetime is"));
    }
  }

  @Test
  void badValuesAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> read(Map.of("msc4388", Map.of("mode", "public"))))
        .hasMessage("rendezvous.msc4388.mode: expected one of off, open, authenticated, got \"public\"");
    assertThatThrownBy(() -> read(Map.of("msc4108", Map.of("enabled", "yes"))))
        .hasMessageStartingWith("rendezvous.msc4108.enabled:");
    assertThatThrownBy(() -> read(Map.of("max_sessions", 0))).hasMessageStartingWith("rendezvous.max_sessions:");
    assertThatThrownBy(() -> read(Map.of("max_payload_chars", 0)))
        .hasMessageStartingWith("rendezvous.max_payload_chars:");
    assertThatThrownBy(() -> read(Map.of("backup_count", 0))).hasMessageStartingWith("rendezvous.backup_count:");
    assertThatThrownBy(() -> read(Map.of("long_poll", Map.of("max_wait", "1h"))))
        .hasMessageStartingWith("rendezvous.long_poll.max_wait:");
    assertThatThrownBy(() -> read(Map.of("rate_limits", Map.of("create", Map.of("per_second", "fast")))))
        .hasMessageStartingWith("rendezvous.rate_limits.create.per_second:");
    assertThatThrownBy(() -> read(Map.of("session_lifetme", "120s")))
        .hasMessage("rendezvous.session_lifetme: unknown key (did you mean rendezvous.session_lifetime?)");
  }
}
