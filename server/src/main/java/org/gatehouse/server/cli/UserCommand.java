package org.gatehouse.server.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.gatehouse.common.auth.AccountInfo;
import org.gatehouse.common.auth.AuthAddresses;
import org.gatehouse.common.auth.CreateAccount;
import org.gatehouse.common.http.MatrixError;
import org.gatehouse.server.Main;
import org.gatehouse.server.config.GatehouseConfig;

/**
 * {@code gatehouse user add <localpart> [--admin] [--password-file FILE]}: creates an account in the database of
 * the configured deployment — the external database, or the embedded one of a running node (found through its
 * data directory). With no node running, the embedded database is started just for this. The account is created
 * by the auth module, through its contract ({@code ACCOUNT_CREATE} on a {@link CommandNode}). The password comes
 * from a file ({@code -} for standard input) or is asked for twice at the terminal; never from the command line.
 */
public final class UserCommand {
  /** Hashing at the production cost, and a homeserver that is slow to answer, fit well within this. */
  private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(120);

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
    try (CommandNode node = CommandNode.start(config)) {
      AccountInfo account = AccountInfo.fromJson(node.request(AuthAddresses.ACCOUNT_CREATE,
          CreateAccount.withPassword(localpart, password, admin, displayName).toJson(), CREATE_TIMEOUT));
      out.println("created " + account.userId() + (account.admin() ? " (admin)" : ""));
      return Main.EXIT_OK;
    } catch (MatrixError e) {
      err.println("gatehouse: " + e.getMessage());
      return Main.EXIT_FAILURE;
    } catch (Exception e) {
      err.println("gatehouse: could not create the user: " + RunCommand.rootMessage(e));
      return Main.EXIT_FAILURE;
    }
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
