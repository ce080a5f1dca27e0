package org.gatehouse.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.gatehouse.server.config.ClusterConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterIdentityTest {
  @TempDir
  Path dir;

  private static ClusterConfig alone(Optional<String> name, Optional<String> secret) {
    return new ClusterConfig(name, secret, "127.0.0.1", 5701, List.of(), 0);
  }

  @Test
  void aNodeAloneGeneratesItsNameAndSecretOnceAndKeepsThemPrivate() throws Exception {
    Path data = dir.resolve("data");
    ClusterIdentity first = ClusterIdentity.resolve(alone(Optional.empty(), Optional.empty()), data);
    assertThat(first.name()).matches("gatehouse-[0-9a-f]{12}");
    assertThat(first.secret()).hasSizeGreaterThanOrEqualTo(ClusterConfig.MIN_SECRET);
    Path file = data.resolve(ClusterIdentity.FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    try (var files = Files.list(data)) {
      assertThat(files).containsExactly(file);
    }
    // A restart, or another node on the same data directory, agrees.
    assertThat(ClusterIdentity.resolve(alone(Optional.empty(), Optional.empty()), data)).isEqualTo(first);
    assertThat(first.toString()).doesNotContain(first.secret());
  }

  @Test
  void configuredValuesWinAndNeedNoFile() {
    String secret = "a-configured-secret-of-32-characters";
    ClusterIdentity configured = ClusterIdentity.resolve(alone(Optional.of("prod"), Optional.of(secret)), dir);
    assertThat(configured).isEqualTo(new ClusterIdentity("prod", secret));
    assertThat(dir.resolve(ClusterIdentity.FILE)).doesNotExist();
    ClusterIdentity named = ClusterIdentity.resolve(alone(Optional.of("prod"), Optional.empty()), dir);
    assertThat(named.name()).isEqualTo("prod");
    assertThat(named.secret()).isNotEqualTo(secret).hasSizeGreaterThanOrEqualTo(ClusterConfig.MIN_SECRET);
  }

  @Test
  void theSecretIsInTheHazelcastNameAndTheEventBusCertificate() {
    ClusterSecret one = new ClusterSecret("prod", "a-configured-secret-of-32-characters");
    ClusterSecret same = new ClusterSecret("prod", "a-configured-secret-of-32-characters");
    ClusterSecret other = new ClusterSecret("prod", "another-secret-of-at-least-32-chars");
    assertThat(one.hazelcastClusterName()).startsWith("prod-").isEqualTo(same.hazelcastClusterName())
        .isNotEqualTo(other.hazelcastClusterName()).doesNotContain("secret");
    // Every member derives the same certificate; another secret, another key.
    assertThat(one.certificate()).isEqualTo(same.certificate());
    assertThat(one.certificate().getPublicKey()).isNotEqualTo(other.certificate().getPublicKey());
  }
}
