package org.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as an operator meets it: exit codes and one-line messages. */
class MainTest {
  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String... args) {
    return Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String errText() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpExitsZero() {
    assertThat(run(Map.of(), "--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("run [--config FILE]", "GATEHOUSE_");
  }

  @Test
  void noCommandIsAUsageError() {
    assertThat(run(Map.of())).isEqualTo(Main.EXIT_USAGE);
  }

  @Test
  void unknownCommandIsAUsageError() {
    assertThat(run(Map.of(), "serve")).isEqualTo(Main.EXIT_USAGE);
    assertThat(errText()).isEqualTo("gatehouse: unknown command 'serve'; see gatehouse --help\n");
  }

  @Test
  void misspelledKeyStopsStartUpWithOneLineAndExit2() throws Exception {
    Path file = dir.resolve("g.yaml");
    Files.writeString(file, "http:\n  prot: 8081\n");
    assertThat(run(Map.of(), "run", "--config", file.toString())).isEqualTo(2);
    assertThat(errText()).isEqualTo("gatehouse: configuration error: http.prot: unknown key (did you mean http.port?)\n");
  }

  @Test
  void wrongTypeStopsStartUpWithOneLineAndExit2() {
    assertThat(run(Map.of("GATEHOUSE_HTTP__PORT", "eighty"), "run")).isEqualTo(2);
    assertThat(errText().lines().count()).isEqualTo(1);
    assertThat(errText()).contains("http.port (from GATEHOUSE_HTTP__PORT): expected an integer");
  }

  @Test
  void aBrokenAppserviceRegistrationStopsStartUpNamingFileAndField() throws Exception {
    Path file = dir.resolve("bridge.yaml");
    Files.writeString(file, "id: bridge\nas_token: as_token_long_enough_1\nsender_localpart: bot\n");
    assertThat(run(Map.of("GATEHOUSE_AUTH__APPSERVICES__REGISTRATION_FILES", file.toString()), "run")).isEqualTo(2);
    assertThat(errText()).isEqualTo("gatehouse: configuration error: " + file
        + ": hs_token: is required (a non-empty string)\n");
  }

  @Test
  void checkConfigValidatesWithoutStarting() throws Exception {
    Path file = dir.resolve("ok.yaml");
    Files.writeString(file, "http:\n  port: 8081\n");
    assertThat(run(Map.of(), "check-config", "--config", file.toString())).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("configuration is valid\n");
  }
}
