package org.gatehouse.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A Gatehouse node in its own JVM, started like {@code ./gatehouse run} (same main class, same JVM flags) in a
 * working directory of the test's choosing, so tests can send it real signals and kill it for real.
 */
public final class NodeProcess implements AutoCloseable {
  private static final List<String> JVM_FLAGS = List.of("--add-modules", "java.se",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "-Xmx512m", "-Dhazelcast.phone.home.enabled=false");

  private final Process process;
  private final List<String> stdout = new CopyOnWriteArrayList<>();
  private final List<String> stderr = new CopyOnWriteArrayList<>();

  private NodeProcess(Process process) {
    this.process = process;
    pump(process.getInputStream(), stdout);
    pump(process.getErrorStream(), stderr);
  }

  /** Starts {@code gatehouse <args>} in {@code workDir} with {@code env} added to this JVM's environment. */
  public static NodeProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    // A shell may have started this JVM with SIGINT ignored (background job), which children inherit and a
    // JVM cannot undo. Perl can: reset SIGINT to its default, then exec the node.
    command.addAll(List.of("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die $!"));
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(JVM_FLAGS);
    // The node logs like production (logback.xml), not like the tests on its classpath (logback-test.xml).
    command.add("-Dlogback.configurationFile=" + NodeProcess.class.getResource("/logback.xml"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.gatehouse.server.Main"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("GATEHOUSE_"));
    // The metrics listener's default port would collide between nodes started side by side: any free port.
    builder.environment().put("GATEHOUSE_METRICS__PORT", "0");
    builder.environment().putAll(env);
    return new NodeProcess(builder.start());
  }

  public long pid() {
    return process.pid();
  }

  public List<String> stdout() {
    return stdout;
  }

  public List<String> stderr() {
    return stderr;
  }

  /** Waits until a stdout line contains {@code text}; fails early if the process exits first. */
  public void awaitOutput(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (stdout.stream().anyMatch(l -> l.contains(text))) {
        return;
      }
      if (!process.isAlive()) {
        Thread.sleep(200);
        throw new AssertionError("process exited (" + process.exitValue() + ") before printing '" + text + "'; stderr: "
            + stderr + "; stdout: " + stdout);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no '" + text + "' within " + timeout + "; stdout: " + stdout + "; stderr: " + stderr);
  }

  public void signal(String name) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
  }

  /** Waits for the exit code. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("process still running after " + timeout + "; stdout: " + stdout);
    }
    return process.exitValue();
  }

  /** SIGKILL: the JVM gets no chance to clean up. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private static void pump(java.io.InputStream in, List<String> sink) {
    Thread t = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line; (line = reader.readLine()) != null; ) {
          sink.add(line);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "node-output");
    t.setDaemon(true);
    t.start();
  }
}
