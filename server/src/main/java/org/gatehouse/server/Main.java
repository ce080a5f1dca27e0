package org.gatehouse.server;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.gatehouse.common.config.ConfigException;
import org.gatehouse.server.cli.RunCommand;
import org.gatehouse.server.cli.UserCommand;
import org.gatehouse.server.cli.UsageException;

/**
 * The command line of the runnable jar ({@code ./gatehouse} wraps it).
 *
 * <p>Exit codes: 0 success (including a stop by SIGINT/SIGTERM), 1 the node failed to start or stopped on an
 * error, 2 the command line or the configuration is wrong. Errors are one line on stderr, never a stack trace.
 */
public final class Main {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_USAGE = 2;

  static final String USAGE = """
      Usage: gatehouse <command> [options]

      Commands:
        run [--config FILE]            start a node and serve until SIGINT/SIGTERM
        check-config [--config FILE]   validate the configuration and exit
        user add <localpart> [--admin] [--password-file FILE] [--config FILE]
                                       create an account (the password is asked for, or read
                                       from FILE; - reads standard input)
        test                           run the whole test suite (./gatehouse script only)
        --help                         show this help

      Without --config, conf/gatehouse.yaml is used when it exists, else the built-in defaults.
      Any key can be overridden from the environment: GATEHOUSE_<SECTION>__<KEY>, e.g.
      GATEHOUSE_HTTP__PORT=8081 or GATEHOUSE_DATABASE__URL=postgresql://user:pw@db:5432/gatehouse.
      """;

  private Main() {
  }

  public static void main(String[] args) {
    // Exit explicitly: after a stop, library threads (Hazelcast, Netty) must not keep the JVM alive.
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.length == 0 || List.of("--help", "-h", "help").contains(args[0])) {
      (args.length == 0 ? err : out).print(USAGE);
      return args.length == 0 ? EXIT_USAGE : EXIT_OK;
    }
    List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
    try {
      switch (args[0]) {
        case "run":
          return new RunCommand(configPath(rest), env, out, err).run();
        case "user":
          return new UserCommand(configPath(withoutUserArgs(rest)), env, out, err).run(userArgs(rest));
        case "check-config":
          RunCommand check = new RunCommand(configPath(rest), env, out, err);
          check.loadConfig();
          out.println("configuration is valid");
          return EXIT_OK;
        default:
          throw new UsageException("unknown command '" + args[0] + "'; see gatehouse --help");
      }
    } catch (UsageException e) {
      err.println("gatehouse: " + e.getMessage());
      return EXIT_USAGE;
    } catch (ConfigException e) {
      err.println("gatehouse: configuration error: " + e.getMessage());
      return EXIT_USAGE;
    }
  }

  /** The arguments of {@code user ...} without {@code --config FILE}. */
  private static List<String> userArgs(List<String> args) {
    List<String> result = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--config") || args.get(i).equals("-c")) {
        i++;
      } else if (!args.get(i).startsWith("--config=")) {
        result.add(args.get(i));
      }
    }
    return result;
  }

  /** Only the {@code --config FILE} arguments of {@code user ...}. */
  private static List<String> withoutUserArgs(List<String> args) {
    List<String> result = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      if ((args.get(i).equals("--config") || args.get(i).equals("-c")) && i + 1 < args.size()) {
        result.add(args.get(i));
        result.add(args.get(i + 1));
        i++;
      } else if (args.get(i).startsWith("--config=")) {
        result.add(args.get(i));
      }
    }
    return result;
  }

  /** Takes {@code --config FILE} out of {@code args}; the default is conf/gatehouse.yaml if it exists. */
  static Path configPath(List<String> args) {
    Path config = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--config") || arg.equals("-c")) {
        if (i + 1 >= args.size()) {
          throw new UsageException("--config needs a file");
        }
        config = Path.of(args.get(i + 1));
        i++;
      } else if (arg.startsWith("--config=")) {
        config = Path.of(arg.substring("--config=".length()));
      } else {
        throw new UsageException("unexpected argument '" + arg + "'; see gatehouse --help");
      }
    }
    if (config == null) {
      Path fallback = Path.of("conf", "gatehouse.yaml");
      return Files.exists(fallback) ? fallback : null;
    }
    return config;
  }
}
