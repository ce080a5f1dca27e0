package org.gatehouse.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.gatehouse.common.testing.OAuthTestClient;
import org.gatehouse.server.testing.NodeProcess;
import org.gatehouse.server.testing.TestNodes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatehouse user add} against the embedded database of a node that is running, or of none (the command
 * starts it for itself); either way the account is the auth module's to create, over its contract.
 */
class UserCommandTest {
  static final String PASSWORD = "a long enough password";

  @TempDir
  Path work;
  List<Integer> ports;
  Map<String, String> env;

  @BeforeEach
  void setUp() throws Exception {
    // The embedded PostgreSQL runs as 'nobody' when the tests run as root: it must reach its data directory.
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    ports = TestNodes.freePorts(2);
    env = Map.of("GATEHOUSE_HTTP__PORT", ports.get(0).toString(),
        "GATEHOUSE_CLUSTER__PORT", ports.get(1).toString(), "GATEHOUSE_CLUSTER__NAME", "user-" + ports.get(1),
        "GATEHOUSE_PUBLIC_BASE_URL", "http://127.0.0.1:" + ports.get(0) + "/");
    Files.writeString(work.resolve("pw"), PASSWORD + "\n");
  }

  /** Signs {@code localpart} in on the running node; its {@code whoami}. */
  private String whoami(String localpart) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      OAuthTestClient oauth = new OAuthTestClient(vertx, "http://127.0.0.1:" + ports.get(0));
      OAuthTestClient.Tokens tokens = oauth.signIn(localpart, PASSWORD);
      return oauth.get("/_matrix/client/v3/account/whoami", tokens.accessToken()).bodyAsJsonObject().getString("user_id");
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void withNoNodeRunningTheCommandStartsTheEmbeddedDatabaseForItselfAndStopsIt() throws Exception {
    NodeProcess add = NodeProcess.start(work, env, "user", "add", "erin", "--password-file", "pw",
        "--display-name", "Erin");
    assertThat(add.awaitExit(Duration.ofSeconds(120))).as(String.join("\n", add.stderr())).isZero();
    assertThat(add.stdout()).contains("created @erin:localhost");

    // The database was migrated and stopped again: a node starts on it and the account signs in.
    try (NodeProcess node = NodeProcess.start(work, env, "run")) {
      node.awaitOutput("Gatehouse is ready", Duration.ofSeconds(120));
      assertThat(whoami("erin")).isEqualTo("@erin:localhost");
      node.signal("TERM");
      assertThat(node.awaitExit(Duration.ofSeconds(60))).isZero();
    }
  }

  @Test
  void addsUsersToARunningNodeThatCanThenSignIn() throws Exception {
    try (NodeProcess node = NodeProcess.start(work, env, "run")) {
      node.awaitOutput("Gatehouse is ready", Duration.ofSeconds(120));

      NodeProcess add = NodeProcess.start(work, env, "user", "add", "carol", "--admin", "--password-file", "pw");
      assertThat(add.awaitExit(Duration.ofSeconds(60))).isZero();
      assertThat(add.stdout()).contains("created @carol:localhost (admin)");

      NodeProcess again = NodeProcess.start(work, env, "user", "add", "carol", "--password-file", "pw");
      assertThat(again.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
      Thread.sleep(200);
      assertThat(again.stderr()).containsExactly("gatehouse: User carol already exists");

      // No terminal to prompt on and no file: refused, and the password is never read from the command line.
      NodeProcess noPassword = NodeProcess.start(work, env, "user", "add", "dave");
      assertThat(noPassword.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
      Thread.sleep(200);
      assertThat(String.join("\n", noPassword.stderr())).contains("no terminal to ask for the password");

      assertThat(whoami("carol")).isEqualTo("@carol:localhost");
      node.signal("TERM");
      assertThat(node.awaitExit(Duration.ofSeconds(60))).isZero();
    }
  }
}
