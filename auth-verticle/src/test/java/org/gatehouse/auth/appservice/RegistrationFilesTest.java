package org.gatehouse.auth.appservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gatehouse.auth.domain.AppserviceRegistration;
import org.gatehouse.auth.domain.Appservices;
import org.gatehouse.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistrationFilesTest {
  @TempDir
  Path dir;

  static String registration(String id, String asToken, String regex) {
    return """
        id: %s
        url: http://localhost:9000
        as_token: %s
        hs_token: hs_%s_0123456789
        sender_localpart: %sbot
        rate_limited: false
        io.element.msc4190: true
        namespaces:
          users:
            - exclusive: true
              regex: '%s'
          aliases: []
          rooms: []
        de.sorunome.msc2409.push_ephemeral: true
        """.formatted(id, asToken, id, id, regex);
  }

  private Path write(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void readsTheUsualRegistrationYamlAndIgnoresFieldsItDoesNotUse() throws Exception {
    List<AppserviceRegistration> all = RegistrationFiles.read(List.of(
        write("a.yaml", registration("bridge", "as_token_of_the_bridge", "@bridge_.*:test\\.local"))));
    AppserviceRegistration r = all.get(0);
    assertThat(r.id()).isEqualTo("bridge");
    assertThat(r.senderLocalpart()).isEqualTo("bridgebot");
    assertThat(r.deviceManagement()).isTrue();
    assertThat(r.rateLimited()).isFalse();
    assertThat(r.covers("@bridge_alice:test.local", "@bridgebot:test.local")).isTrue();
    assertThat(r.covers("@alice:test.local", "@bridgebot:test.local")).isFalse();
    assertThat(r.covers("@bridgebot:test.local", "@bridgebot:test.local")).isTrue();
  }

  @Test
  void tokensAreKeptAsDigestsOnlyAndStillFindTheirAppservice() throws Exception {
    AppserviceRegistration r = RegistrationFiles.read(List.of(
        write("a.yaml", registration("bridge", "as_token_of_the_bridge", ".*")))).get(0);
    String shared = r.toJson().encode();
    assertThat(shared).doesNotContain("as_token_of_the_bridge", "hs_bridge_0123456789")
        .contains(AppserviceRegistration.digestOf("as_token_of_the_bridge"));
    Appservices set = new Appservices(List.of(AppserviceRegistration.fromJson(r.toJson())));
    assertThat(set.byToken("as_token_of_the_bridge")).hasValueSatisfying(found -> assertThat(found.id()).isEqualTo("bridge"));
    assertThat(set.byToken("as_token_of_the_bridgf")).isEmpty();
    assertThat(set.byToken(AppserviceRegistration.digestOf("as_token_of_the_bridge"))).as("the digest is no token").isEmpty();
  }

  @Test
  void missingFieldsAreNamedWithTheirFile() throws Exception {
    Path file = write("b.yaml", registration("bridge", "as_token_of_the_bridge", ".*").replace("hs_token", "hs_tokn"));
    assertThatThrownBy(() -> RegistrationFiles.read(List.of(file)))
        .isInstanceOf(ConfigException.class)
        .hasMessage(file + ": hs_token: is required (a non-empty string)");
  }

  @Test
  void invalidRegexesAreNamedWithTheirPlace() throws Exception {
    Path file = write("c.yaml", registration("bridge", "as_token_of_the_bridge", "@bridge_(.*:test"));
    assertThatThrownBy(() -> RegistrationFiles.read(List.of(file)))
        .hasMessageStartingWith(file + ": namespaces.users[0].regex: invalid regular expression");
  }

  @Test
  void duplicateIdsAndTokensAcrossFilesAreRefused() throws Exception {
    Path one = write("one.yaml", registration("bridge", "as_token_of_the_bridge", ".*"));
    Path sameId = write("two.yaml", registration("bridge", "another_as_token_here", ".*"));
    assertThatThrownBy(() -> RegistrationFiles.read(List.of(one, sameId)))
        .hasMessage(sameId + ": id: already used by " + one);
    Path sameToken = write("three.yaml", registration("other", "as_token_of_the_bridge", ".*"));
    assertThatThrownBy(() -> RegistrationFiles.read(List.of(one, sameToken)))
        .hasMessage(sameToken + ": as_token: already used by " + one);
  }

  @Test
  void unreadableOrMalformedFilesAreOneLine() throws Exception {
    assertThatThrownBy(() -> RegistrationFiles.read(List.of(dir.resolve("missing.yaml"))))
        .hasMessageEndingWith("missing.yaml: appservice registration file not found");
    Path broken = write("broken.yaml", "id: [unclosed\n");
    assertThatThrownBy(() -> RegistrationFiles.read(List.of(broken))).hasMessageContaining("not valid YAML");
    Path shortToken = write("short.yaml", registration("x", "short", ".*"));
    assertThatThrownBy(() -> RegistrationFiles.read(List.of(shortToken))).hasMessageContaining("as_token: must be at least 16");
  }
}
