package org.gatehouse.server.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gatehouse.auth.AuthModule;
import org.gatehouse.auth.accounts.AccountCreation;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.common.homeserver.Homeserver;
import org.gatehouse.homeserver.HomeserverConfig;
import org.gatehouse.homeserver.HomeserverModule;
import org.gatehouse.homeserver.sync.DirectHomeserver;
import org.gatehouse.auth.crypto.PasswordHasher;
import org.gatehouse.auth.store.pg.PgUserStore;
import org.gatehouse.database.EmbeddedPostgres;
import org.gatehouse.database.Migrator;
import org.gatehouse.common.http.MatrixError;
import org.gatehouse.server.Main;
import org.gatehouse.server.config.GatehouseConfig;

/**
 * {@code gatehouse user add <localpart> [--admin] [--password-file FILE]}: creates an account in the database of
 * the configured deployment — the external database, or the embedded one of a running node (found through its
 * data directory). With no node running, the embedded database is started just for this. The password comes
 * from a file ({@code -} for standard input) or is asked for twice at the terminal; never from the command line.
 */
public final class UserCommand {
  private final Path configFile;
  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  public UserCommand(Path configFile, Map<String, String> env, PrintStream out, PrintStream err) {
    this.configFile = configFile;
    this.env = env;
    this.out = out;
    this.err = err;
  }

  static final String USAGE =
      "usage: gatehouse user add <localpart> [--admin] [--password-file FILE] [--display-name NAME]";

  public int run(List<String> args) {
    if (args.isEmpty() || !args.get(0).equals("add")) {
      throw new UsageException(USAGE);
    }
    List<String> rest = new ArrayList<>(args.subList(1, args.size()));
    boolean admin = rest.remove("--admin");
    Path passwordFile = null;
    int fileFlag = rest.indexOf("--password-file");
    if (fileFlag >= 0) {
      if (fileFlag + 1 >= rest.size()) {
        throw new UsageException("--password-file needs a file (or - for standard input)");
      }
      passwordFile = Path.of(rest.get(fileFlag + 1));
      rest.remove(fileFlag + 1);
      rest.remove(fileFlag);
    }
    String displayName = null;
    int nameFlag = rest.indexOf("--display-name");
    if (nameFlag >= 0) {
      if (nameFlag + 1 >= rest.size()) {
        throw new UsageException("--display-name needs a name");
      }
      displayName = rest.get(nameFlag + 1);
      rest.remove(nameFlag + 1);
      rest.remove(nameFlag);
    }
    if (rest.size() != 1 || rest.get(0).startsWith("-")) {
      throw new UsageException(USAGE);
    }
    String localpart = rest.get(0);
    GatehouseConfig config = GatehouseConfig.load(configFile, env, Modules.all());
    String password;
    try {
      password = readPassword(passwordFile);
    } catch (IOException e) {
      err.println("gatehouse: cannot read the password: " + e.getMessage());
      return Main.EXIT_FAILURE;
    } catch (UsageException e) {
      throw e;
    }
    return create(config, localpart, password, admin, displayName);
  }

  private int create(GatehouseConfig config, String localpart, String password, boolean admin,
                     String displayName) {
    EmbeddedPostgres started = null;
    PgConnectOptions connect;
    if (config.database().external().isPresent()) {
      connect = config.database().external().get();
    } else {
      var running = EmbeddedPostgres.runningServer(config.database().embeddedDataDir(), "postgres");
      if (running.isPresent()) {
        connect = running.get();
      } else {
        started = EmbeddedPostgres.start(config.database().embeddedDataDir(), config.database().embeddedBinaries(), true);
        connect = started.connectOptions("postgres");
      }
    }
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(connect).using(vertx).build();
      var authConfig = config.modules().stream().filter(m -> m.module() instanceof AuthModule).findFirst().orElseThrow();
      PasswordHasher hasher = new PasswordHasher(((org.gatehouse.auth.AuthConfig) authConfig.config()).passwordCost());
      // With a homeserver kept in step, the name is checked and the account provisioned there first, as the
      // sign-up page and the admin API do.
      var homeserverModule = config.modules().stream().filter(m -> m.module() instanceof HomeserverModule && m.enabled())
          .findFirst();
      Homeserver homeserver = homeserverModule.<Homeserver>map(m -> new DirectHomeserver(vertx, (HomeserverConfig) m.config(),
          pool)).orElse(Homeserver.standalone());
      AccountCreation creation = new AccountCreation(vertx, new PgUserStore(pool, Clock.systemUTC()), hasher,
          homeserver, new UserIds(config.node().serverName()));
      Future<?> migrated = started == null ? Future.succeededFuture()
          : new Migrator(pool).migrate(allMigrations());
      var user = migrated.compose(done -> creation.create(localpart, password, admin, displayName)).await(120, TimeUnit.SECONDS);
      out.println("created @" + user.localpart() + ":" + config.node().serverName() + (admin ? " (admin)" : ""));
      return Main.EXIT_OK;
    } catch (MatrixError e) {
      err.println("gatehouse: " + e.getMessage());
      return Main.EXIT_FAILURE;
    } catch (Exception e) {
      err.println("gatehouse: could not create the user: " + RunCommand.rootMessage(e));
      return Main.EXIT_FAILURE;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
      if (started != null) {
        started.close();
      }
    }
  }

  private static List<org.gatehouse.database.Migration> allMigrations() {
    List<org.gatehouse.database.Migration> all = new ArrayList<>();
    Modules.all().forEach(m -> all.addAll(Migrator.load(UserCommand.class.getClassLoader(), m.name())));
    return all;
  }

  private String readPassword(Path file) throws IOException {
    if (file != null) {
      String text = file.toString().equals("-")
          ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine()
          : Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("");
      if (text == null || text.isEmpty()) {
        throw new UsageException("the password file is empty");
      }
      return text;
    }
    Console console = System.console();
    if (console == null) {
      throw new UsageException("no terminal to ask for the password; use --password-file FILE (or - for stdin)");
    }
    char[] first = console.readPassword("Password: ");
    char[] second = console.readPassword("Repeat the password: ");
    if (first == null || second == null || !Arrays.equals(first, second)) {
      throw new UsageException("the passwords differ");
    }
    return new String(first);
  }
}
