package org.gatehouse.server.interop;

import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one script of the npm interop harness ({@code interop/}) with {@code node}, for tests that drive real
 * third-party clients against a started node. The script prints one JSON line and exits non-zero on failure.
 *
 * <p>A missing {@code node}, missing npm packages, a non-zero exit, a timeout or output that is not JSON all fail
 * the test (never skip it) with the script's whole output, so a broken environment cannot pass as green.
 */
public final class NodeScript {
  /** The harness, seen from the {@code server} module's directory where the tests run. */
  public static final Path INTEROP = Path.of("..", "interop").toAbsolutePath().normalize();

  private NodeScript() {
  }

  /** What a script printed. */
  public record Result(int exitCode, String stdout, String stderr) {
    /** The last line of stdout as JSON (the script's result). */
    public JsonObject json() {
      List<String> lines = stdout.lines().filter(l -> !l.isBlank()).toList();
      if (lines.isEmpty()) {
        return fail("the script printed no JSON result\n" + this);
      }
      try {
        return new JsonObject(lines.get(lines.size() - 1));
      } catch (DecodeException e) {
        return fail("the script's last line is not JSON\n" + this);
      }
    }

    @Override
    public String toString() {
      return "exit code " + exitCode + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
    }
  }

  /**
   * Runs {@code node <script>} in {@code interop/} with {@code env} added to the environment; fails the test unless
   * it exits 0 within {@code timeout}.
   */
  public static Result run(String script, Map<String, String> env, Duration timeout) {
    Result result = execute(script, env, timeout);
    if (result.exitCode() != 0) {
      fail("node " + script + " failed\n" + result);
    }
    return result;
  }

  /**
   * As {@link #run}, for a script that must fail today (it reports where it stopped in its JSON line): fails the
   * test if it exits 0.
   */
  public static Result runExpectingFailure(String script, Map<String, String> env, Duration timeout) {
    Result result = execute(script, env, timeout);
    if (result.exitCode() == 0) {
      fail("node " + script + " succeeded, which this test does not expect yet\n" + result);
    }
    return result;
  }

  private static Result execute(String script, Map<String, String> env, Duration timeout) {
    requireNode();
    Path file = INTEROP.resolve(script);
    if (!Files.isRegularFile(file)) {
      fail("no interop script " + file);
    }
    if (!Files.isDirectory(INTEROP.resolve("node_modules"))) {
      fail("the interop npm packages are not installed (" + INTEROP.resolve("node_modules")
          + " is missing): run .ci/install-test-deps, which runs npm ci in interop/");
    }
    ProcessBuilder builder = new ProcessBuilder("node", file.toString()).directory(INTEROP.toFile());
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return fail("cannot start node: " + e.getMessage());
    }
    Drain out = new Drain(process.getInputStream());
    Drain err = new Drain(process.getErrorStream());
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        fail("node " + script + " did not finish within " + timeout + "\n" + new Result(-1, out.text(), err.text()));
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return fail("interrupted while waiting for node " + script);
    }
    return new Result(process.exitValue(), out.text(), err.text());
  }

  private static void requireNode() {
    try {
      Process version = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      if (!version.waitFor(30, TimeUnit.SECONDS) || version.exitValue() != 0) {
        fail("node --version did not succeed; install Node.js 20 or later");
      }
    } catch (IOException e) {
      fail("node is not installed (" + e.getMessage() + "); the interop tests need Node.js 20 or later and npm, "
          + "then .ci/install-test-deps");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted while looking for node");
    }
  }

  /** Reads a stream to the end on its own thread, so a chatty process never blocks on a full pipe. */
  private static final class Drain {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final Thread thread;

    Drain(InputStream in) {
      thread = new Thread(() -> {
        try (in) {
          in.transferTo(buffer);
        } catch (IOException ignored) {
          // the process ended
        }
      }, "node-script-output");
      thread.setDaemon(true);
      thread.start();
    }

    String text() {
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (buffer) {
        return buffer.toString(StandardCharsets.UTF_8);
      }
    }
  }
}
