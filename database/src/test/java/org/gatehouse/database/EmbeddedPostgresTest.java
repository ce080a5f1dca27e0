package org.gatehouse.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.SqlConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server as {@code ./gatehouse run} uses it: real, persistent, exclusive. */
@ExtendWith(VertxExtension.class)
class EmbeddedPostgresTest {
  /** Where the tests unpack the binaries, shared by every test JVM as gatehouse-test-support's server does. */
  static final Path BINARIES = Path.of(System.getProperty("java.io.tmpdir"), "gatehouse-pg-bin");

  // Each test closes its servers, so the directory is free to remove afterwards.
  @TempDir
  Path root;
  Path binaries = BINARIES;
  Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    // When tests run as root the server runs as 'nobody', who must be able to enter the directory.
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    this.vertx = vertx;
  }

  private SqlConnection connect(EmbeddedPostgres pg) throws Exception {
    return PgConnection.connect(vertx, pg.connectOptions("postgres")).await(30, TimeUnit.SECONDS);
  }

  @Test
  void keepsDataAcrossRestarts() throws Exception {
    Path data = root.resolve("data");
    try (EmbeddedPostgres pg = EmbeddedPostgres.start(data, binaries, false)) {
      SqlConnection conn = connect(pg);
      conn.query("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')").execute().await(10, TimeUnit.SECONDS);
      conn.close().await();
    }
    try (EmbeddedPostgres pg = EmbeddedPostgres.start(data, binaries, false)) {
      SqlConnection conn = connect(pg);
      String value = conn.query("SELECT v FROM kept").execute().await(10, TimeUnit.SECONDS).iterator().next().getString(0);
      assertThat(value).isEqualTo("still here");
      conn.close().await();
    }
  }

  @Test
  void listensOnLoopbackWithAPasswordOnly() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.start(root.resolve("data"), binaries, false)) {
      SqlConnection conn = connect(pg);
      String listen = conn.query("SHOW listen_addresses").execute().await(10, TimeUnit.SECONDS).iterator().next().getString(0);
      assertThat(listen).isEqualTo("127.0.0.1");
      conn.close().await();
      assertThatThrownBy(() -> PgConnection.connect(vertx, pg.connectOptions("postgres").setPassword("wrong"))
          .await(30, TimeUnit.SECONDS)).hasMessageContaining("password authentication failed");
      assertThat(Files.getPosixFilePermissions(root.resolve("data.password")))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
  }

  @Test
  void secondProcessOnTheSameDataDirectoryIsRefused() {
    try (EmbeddedPostgres pg = EmbeddedPostgres.start(root.resolve("data"), binaries, false)) {
      assertThat(EmbeddedPostgres.runningServer(root.resolve("data"), "postgres")).isPresent();
      assertThatThrownBy(() -> EmbeddedPostgres.start(root.resolve("data"), binaries, false))
          .isInstanceOf(EmbeddedPostgresException.class)
          .hasMessageContaining("another Gatehouse process is using the embedded database");
    }
    assertThat(EmbeddedPostgres.runningServer(root.resolve("data"), "postgres")).isEmpty();
  }

  @Test
  void refusesADirectoryThatIsNotAPostgresDataDirectory() throws Exception {
    Path data = root.resolve("data");
    Files.createDirectories(data);
    Files.writeString(data.resolve("something.txt"), "not a database");
    assertThatThrownBy(() -> EmbeddedPostgres.start(data, binaries, false))
        .isInstanceOf(EmbeddedPostgresException.class)
        .hasMessageContaining("is not empty and is not a PostgreSQL data directory");
  }
}
