package org.gatehouse.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigNodeTest {
  enum Mode { OFF, OPEN, AUTHENTICATED }

  @TempDir
  Path dir;

  private ConfigNode yaml(String text) throws IOException {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, text);
    return ConfigLoader.load(file, Map.of());
  }

  @Test
  void readsTypedValuesAndDefaults() throws IOException {
    ConfigNode root = yaml("""
        http:
          port: 8081
          host: 0.0.0.0
        lifetime: 3m
        enabled: true
        mode: off
        list: [a, b]
        """);
    ConfigNode http = root.section("http");
    assertThat(http.integer("port", 1, 1, 65535)).isEqualTo(8081);
    assertThat(http.string("host", "x")).isEqualTo("0.0.0.0");
    assertThat(http.integer("absent", 42, 1, 100)).isEqualTo(42);
    assertThat(root.duration("lifetime", Duration.ZERO, Duration.ZERO, Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(3));
    assertThat(root.bool("enabled", false)).isTrue();
    // YAML 1.1 would read "off" as false; here it is the word an operator wrote.
    assertThat(root.choice("mode", Mode.OPEN)).isEqualTo(Mode.OFF);
    assertThat(root.strings("list", List.of())).containsExactly("a", "b");
    root.rejectUnknownKeys();
  }

  @Test
  void unknownKeyIsNamedWithASuggestion() throws IOException {
    ConfigNode root = yaml("http:\n  prot: 8081\n");
    root.section("http").integer("port", 8080, 1, 65535);
    assertThatThrownBy(root::rejectUnknownKeys)
        .isInstanceOf(ConfigException.class)
        .hasMessage("http.prot: unknown key (did you mean http.port?)");
  }

  @Test
  void unknownTopLevelSectionIsRefused() throws IOException {
    ConfigNode root = yaml("htpp: {}\n");
    root.section("http");
    assertThatThrownBy(root::rejectUnknownKeys).hasMessageStartingWith("htpp: unknown key");
  }

  @Test
  void wrongTypesAndImpossibleValuesNameTheKeyAndTheExpectation() throws IOException {
    ConfigNode root = yaml("port: abc\nbig: 70000\nflag: yes-ish\nd: 120\nmode: closed\nsection: 3\n");
    assertThatThrownBy(() -> root.integer("port", 1, 1, 65535))
        .hasMessage("port: expected an integer from 1 to 65535, got \"abc\"");
    assertThatThrownBy(() -> root.integer("big", 1, 1, 65535))
        .hasMessage("big: expected an integer from 1 to 65535, got 70000");
    assertThatThrownBy(() -> root.bool("flag", false)).hasMessage("flag: expected true or false, got \"yes-ish\"");
    assertThatThrownBy(() -> root.duration("d", Duration.ZERO, Duration.ofSeconds(30), Duration.ofMinutes(10)))
        .hasMessageStartingWith("d: expected a duration from 30s to 10m");
    assertThatThrownBy(() -> root.choice("mode", Mode.OFF))
        .hasMessage("mode: expected one of off, open, authenticated, got \"closed\"");
    assertThatThrownBy(() -> root.section("section")).hasMessage("section: expected a mapping of keys, got \"3\"");
  }

  @Test
  void durationOutsideItsRangeIsRefused() throws IOException {
    ConfigNode root = yaml("lifetime: 20s\n");
    assertThatThrownBy(() -> root.duration("lifetime", Duration.ofSeconds(120), Duration.ofSeconds(30), Duration.ofSeconds(600)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("lifetime: expected a duration from 30s to 10m");
  }

  @Test
  void environmentOverridesWinAndAreNamedInErrors() throws IOException {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, "http:\n  port: 8080\n");
    ConfigNode root = ConfigLoader.load(file, Map.of(
        "GATEHOUSE_HTTP__PORT", "9090",
        "GATEHOUSE_CLUSTER__MEMBERS", "10.0.0.1:5701, 10.0.0.2:5701",
        "GATEHOUSE_HTTP__HOST", "not-a-port",
        "PATH", "/usr/bin"));
    ConfigNode http = root.section("http");
    assertThat(http.integer("port", 1, 1, 65535)).isEqualTo(9090);
    assertThat(root.section("cluster").strings("members", List.of())).containsExactly("10.0.0.1:5701", "10.0.0.2:5701");
    assertThatThrownBy(() -> http.integer("host", 1, 1, 65535))
        .hasMessage("http.host (from GATEHOUSE_HTTP__HOST): expected an integer from 1 to 65535, got \"not-a-port\"");
  }

  @Test
  void misspelledEnvironmentOverrideIsRefusedLikeAFileKey() {
    ConfigNode root = ConfigLoader.load(null, Map.of("GATEHOUSE_HTTP__PROT", "1"));
    root.section("http").integer("port", 8080, 1, 65535);
    assertThatThrownBy(root::rejectUnknownKeys)
        .hasMessage("http.prot (from GATEHOUSE_HTTP__PROT): unknown key (did you mean http.port?)");
  }

  @Test
  void yamlErrorsGiveFileAndLine() throws IOException {
    assertThatThrownBy(() -> yaml("http:\n  port: 1\n  port: 2\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("c.yaml:3")
        .hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> yaml("http: [unclosed\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> yaml("- just\n- a list\n")).hasMessageContaining("expected a mapping of keys at the top level");
  }

  @Test
  void missingFileIsOneClearError() {
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml"), Map.of()))
        .hasMessageEndingWith("nope.yaml: configuration file not found");
  }

  @Test
  void listItemsAreCheckedOneByOne() throws IOException {
    ConfigNode root = yaml("cidrs: [10.0.0.0/8, banana]\n");
    assertThatThrownBy(() -> root.strings("cidrs", List.of(), s -> {
      if (s.equals("banana")) {
        throw new IllegalArgumentException("not a CIDR block");
      }
      return s;
    })).hasMessage("cidrs[1]: not a CIDR block");
  }

  @Test
  void reportsWhichKeysWereReadAndWhichArePresent() throws IOException {
    ConfigNode root = yaml("a:\n  b: 1\n  c: {d: 2}\n");
    ConfigNode a = root.section("a");
    a.integer("b", 0, 0, 10);
    a.section("c").integer("d", 0, 0, 10);
    assertThat(root.keysPresent()).containsExactly("a", "a.b", "a.c", "a.c.d");
    assertThat(root.keysRead()).containsExactly("a", "a.b", "a.c", "a.c.d");
  }
}
