package org.gatehouse.server.synapse;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.gatehouse.server.testing.TestNodes;

/**
 * A real Synapse delegating its auth to a Gatehouse node, behind a real nginx, for end-to-end tests: the
 * operator's files {@code conf/synapse/homeserver.yaml} and {@code conf/synapse/nginx.conf} themselves, with only
 * their addresses, ports, file paths, server name and secret replaced (each replacement must find its line, so
 * the files and this class cannot drift apart silently).
 *
 * <p>The ports are chosen at construction, so the Gatehouse node can be configured with {@link #proxyUrl()} as its
 * {@code public_base_url} before {@link #start} (clients reach Gatehouse through nginx; Synapse reaches it
 * directly). {@link SynapseDeployment} does the whole sequence.
 *
 * <p>Synapse comes from {@code .synapse/venv} and nginx from {@code /usr/sbin/nginx}, both installed by
 * {@code .ci/install-test-deps}; a missing one fails the test (never skips it). Both run as child processes in
 * the foreground, their output in files of {@link #directory()}; {@link #close()} (also run by a shutdown hook)
 * stops them and their children.
 */
public final class SynapseStack implements AutoCloseable {
  /** The repository, seen from the {@code server} module's directory where the tests run. */
  public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  public static final Path SYNAPSE_PYTHON = ROOT.resolve(".synapse/venv/bin/python");
  public static final Path NGINX = Path.of("/usr/sbin/nginx");
  public static final Path HOMESERVER_YAML = ROOT.resolve("conf/synapse/homeserver.yaml");
  public static final Path NGINX_CONF = ROOT.resolve("conf/synapse/nginx.conf");
  /** Longest wait for Synapse's {@code /health} after its start. */
  public static final Duration SYNAPSE_START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration NGINX_START_TIMEOUT = Duration.ofSeconds(30);

  private final int proxyPort;
  private final int synapsePort;
  private final int suggestedGatehousePort;
  private final Path directory;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Thread shutdownHook = new Thread(this::close, "synapse-stack-shutdown");
  private Process synapse;
  private Process nginx;
  private boolean configured;
  private final List<Path> appserviceRegistrations = new java.util.ArrayList<>();

  /** Chooses free ports for nginx, Synapse and (a suggestion) Gatehouse, and a fresh directory; starts nothing. */
  public SynapseStack() {
    requireInstalled();
    List<Integer> ports = TestNodes.freePorts(3);
    proxyPort = ports.get(0);
    synapsePort = ports.get(1);
    suggestedGatehousePort = ports.get(2);
    try {
      directory = Files.createTempDirectory("gatehouse-synapse-");
      // nginx's workers run as nobody when the tests run as root: they must reach their temporary directories.
      Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.createDirectories(directory.resolve("synapse"));
      Files.createDirectories(directory.resolve("nginx"));
      Files.setPosixFilePermissions(directory.resolve("nginx"), PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the stack's directory", e);
    }
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** The URL clients use (nginx), without the trailing slash: Gatehouse's {@code public_base_url} minus the slash. */
  public String proxyUrl() {
    return "http://127.0.0.1:" + proxyPort;
  }

  /** Synapse's own listener, without the trailing slash: where Gatehouse reaches {@code /_synapse/mas/}. */
  public String synapseUrl() {
    return "http://127.0.0.1:" + synapsePort;
  }

  /** A free port for Gatehouse's listener, chosen with the others so it differs from them. */
  public int suggestedGatehousePort() {
    return suggestedGatehousePort;
  }

  /**
   * Where the configurations, Synapse's data and both servers' logs are. Deleted by {@link #close()} unless the
   * environment has {@code GATEHOUSE_KEEP_SYNAPSE_STACK=1}.
   */
  public Path directory() {
    return directory;
  }

  /** Synapse's log (its stdout and stderr). */
  public Path synapseLog() {
    return directory.resolve("synapse/synapse.log");
  }

  /** nginx's error log; its access log is {@code access.log} next to it. */
  public Path nginxErrorLog() {
    return directory.resolve("nginx/error.log");
  }

  /**
   * Writes both configurations for a Gatehouse node listening on 127.0.0.1:{@code gatehousePort} with the shared
   * secret {@code sharedSecret} ({@code auth.introspection.shared_secret}) and the server name {@code serverName}
   * (Gatehouse's {@code server_name}), starts Synapse and waits for its {@code /health}, then starts nginx and
   * waits until it answers. Fails the test with the logs when either does not come up.
   */
  /** Gives Synapse an appservice registration file ({@code app_service_config_files}); call before {@link #start}. */
  public synchronized void registerAppservice(Path registration) {
    if (configured) {
      throw new IllegalStateException("appservices are registered before the stack starts");
    }
    appserviceRegistrations.add(registration);
  }

  public synchronized void start(int gatehousePort, String sharedSecret, String serverName) {
    if (configured) {
      throw new IllegalStateException("already started");
    }
    try {
      writeSynapseConfig(gatehousePort, sharedSecret, serverName);
      writeNginxConfig(gatehousePort);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the configurations", e);
    }
    configured = true;
    startSynapse();
    startNginx();
  }

  /** Starts Synapse again (after {@link #stopSynapse()}) with its data kept, and waits for its {@code /health}. */
  public synchronized void startSynapse() {
    if (!configured) {
      throw new IllegalStateException("start(...) first");
    }
    if (synapse != null && synapse.isAlive()) {
      throw new IllegalStateException("Synapse is running");
    }
    Path dir = directory.resolve("synapse");
    // No mode flag: the default is "generate missing files, then run" (the signing key at the first start).
    // 1.163.2 refuses an explicit --generate-missing-and-run once the missing files are made ("unrecognized
    // arguments").
    ProcessBuilder builder = new ProcessBuilder(SYNAPSE_PYTHON.toString(), "-m", "synapse.app.homeserver",
        "--config-path", dir.resolve("homeserver.yaml").toString())
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(synapseLog().toFile()));
    builder.environment().keySet().removeIf(k -> k.startsWith("GATEHOUSE_") || k.startsWith("SYNAPSE_"));
    synapse = launch(builder, "Synapse");
    awaitHttp200(synapseUrl() + "/health", synapse, SYNAPSE_START_TIMEOUT, "Synapse", this::synapseLogTail);
  }

  /** Stops Synapse (SIGTERM, then SIGKILL after 30 s) and waits for it; its data stays for {@link #startSynapse()}. */
  public synchronized void stopSynapse() {
    stop(synapse);
    synapse = null;
  }

  /** Whether Synapse's process is running. */
  public synchronized boolean synapseRunning() {
    return synapse != null && synapse.isAlive();
  }

  /** The last 60 lines of Synapse's log. */
  public String synapseLogTail() {
    return tail(synapseLog(), 60);
  }

  /** The last 60 lines of nginx's output and error log. */
  public String nginxLogTail() {
    return tail(directory.resolve("nginx/nginx.out"), 20) + "\n" + tail(nginxErrorLog(), 60);
  }

  /** Stops nginx and Synapse, and any process they started. Idempotent. */
  @Override
  public synchronized void close() {
    stop(nginx);
    nginx = null;
    stop(synapse);
    synapse = null;
    if (!"1".equals(System.getenv("GATEHOUSE_KEEP_SYNAPSE_STACK"))) {
      deleteTree(directory);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException ignored) {
      // the JVM is shutting down: this is the hook
    }
  }

  private void startNginx() {
    Path dir = directory.resolve("nginx");
    ProcessBuilder builder = new ProcessBuilder(NGINX.toString(), "-p", dir + "/", "-c",
        dir.resolve("nginx.conf").toString(), "-g", "daemon off;")
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("nginx.out").toFile()));
    nginx = launch(builder, "nginx");
    // /versions goes through nginx to Gatehouse, which asks Synapse: the whole chain answers.
    awaitHttp200(proxyUrl() + "/_matrix/client/versions", nginx, NGINX_START_TIMEOUT,
        "nginx (proxying Gatehouse, which asks Synapse)",
        () -> nginxLogTail() + "\n--- Synapse ---\n" + synapseLogTail());
  }

  private void writeSynapseConfig(int gatehousePort, String sharedSecret, String serverName) throws IOException {
    Path dir = directory.resolve("synapse");
    Files.writeString(dir.resolve("gatehouse.secret"), sharedSecret + "\n");
    Files.writeString(dir.resolve("macaroon.key"), randomHex(32) + "\n");
    String config = new ConfigEdit(HOMESERVER_YAML)
        .line("server_name: \"localhost\"", "server_name: \"" + serverName + "\"")
        .line("public_baseurl: \"https://matrix.example.org/\"", "public_baseurl: \"" + proxyUrl() + "/\"")
        .line("pid_file: \"/var/lib/synapse/homeserver.pid\"", "pid_file: \"" + dir.resolve("homeserver.pid") + "\"")
        .line("  - port: 8008", "  - port: " + synapsePort)
        .line("    database: \"/var/lib/synapse/homeserver.db\"", "    database: \"" + dir.resolve("homeserver.db") + "\"")
        .line("media_store_path: \"/var/lib/synapse/media_store\"",
            "media_store_path: \"" + dir.resolve("media_store") + "\"")
        .line("signing_key_path: \"/var/lib/synapse/signing.key\"", "signing_key_path: \"" + dir.resolve("signing.key") + "\"")
        .line("macaroon_secret_key_path: \"/etc/synapse/macaroon.key\"",
            "macaroon_secret_key_path: \"" + dir.resolve("macaroon.key") + "\"")
        .line("  endpoint: \"http://127.0.0.1:8080/\"", "  endpoint: \"http://127.0.0.1:" + gatehousePort + "/\"")
        .line("  secret_path: \"/etc/synapse/gatehouse.secret\"",
            "  secret_path: \"" + dir.resolve("gatehouse.secret") + "\"")
        .line("  msc4108_delegation_endpoint: \"https://matrix.example.org/_matrix/client/unstable/org.matrix.msc4108/rendezvous\"",
            "  msc4108_delegation_endpoint: \"" + proxyUrl() + "/_matrix/client/unstable/org.matrix.msc4108/rendezvous\"")
        .line("app_service_config_files: []", "app_service_config_files: [" + appserviceRegistrations.stream()
            .map(p -> "\"" + p + "\"").collect(java.util.stream.Collectors.joining(", ")) + "]")
        .refuseLeft("/var/lib/synapse", "/etc/synapse", "example.org", "8008", "8080")
        .text();
    Files.writeString(dir.resolve("homeserver.yaml"), config);
  }

  private void writeNginxConfig(int gatehousePort) throws IOException {
    Path dir = directory.resolve("nginx");
    String config = new ConfigEdit(NGINX_CONF)
        .line("pid /run/nginx-matrix.pid;", "pid " + dir.resolve("nginx.pid") + ";")
        .line("error_log /var/log/nginx/matrix.error.log warn;", "error_log " + nginxErrorLog() + " warn;")
        .line("  client_body_temp_path /var/lib/nginx/matrix/body;", "  client_body_temp_path " + dir.resolve("body") + ";")
        .line("  proxy_temp_path /var/lib/nginx/matrix/proxy;", "  proxy_temp_path " + dir.resolve("proxy") + ";")
        .line("  fastcgi_temp_path /var/lib/nginx/matrix/fastcgi;", "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";")
        .line("  uwsgi_temp_path /var/lib/nginx/matrix/uwsgi;", "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";")
        .line("  scgi_temp_path /var/lib/nginx/matrix/scgi;", "  scgi_temp_path " + dir.resolve("scgi") + ";")
        .line("  access_log /var/log/nginx/matrix.access.log matrix;", "  access_log " + dir.resolve("access.log") + " matrix;")
        .line("    server 127.0.0.1:8080;", "    server 127.0.0.1:" + gatehousePort + ";")
        .line("    server 127.0.0.1:8008;", "    server 127.0.0.1:" + synapsePort + ";")
        .line("    listen 127.0.0.1:8000;", "    listen 127.0.0.1:" + proxyPort + ";")
        .refuseLeft("/var/", "/run/", ":8000", ":8008", ":8080")
        .text();
    Files.writeString(dir.resolve("nginx.conf"), config);
  }

  private static void requireInstalled() {
    if (!Files.isExecutable(SYNAPSE_PYTHON)) {
      fail("Synapse is not installed (" + SYNAPSE_PYTHON + " is missing): run .ci/install-test-deps, which makes "
          + "the venv .synapse/venv from interop/synapse/requirements.txt");
    }
    if (!Files.isExecutable(NGINX)) {
      fail("nginx is not installed (" + NGINX + " is missing): run .ci/install-test-deps, which installs Debian's "
          + "nginx-light");
    }
  }

  private static Process launch(ProcessBuilder builder, String what) {
    try {
      return builder.start();
    } catch (IOException e) {
      return fail("cannot start " + what + ": " + e.getMessage());
    }
  }

  private void awaitHttp200(String url, Process process, Duration timeout, String what, Supplier<String> logs) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        fail(what + " exited with code " + process.exitValue() + " before " + url + " answered\n" + logs.get());
      }
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
        last = response.statusCode() + " " + response.body();
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted while waiting for " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted while waiting for " + what);
      }
    }
    fail(what + ": " + url + " did not answer 200 within " + timeout + " (last: " + last + ")\n" + logs.get());
  }

  /** SIGTERM to the process, SIGKILL after 30 s, then SIGKILL to whatever it had started and left behind. */
  private static void stop(Process process) {
    if (process == null) {
      return;
    }
    List<ProcessHandle> children = new ArrayList<>(process.descendants().toList());
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    for (ProcessHandle child : children) {
      if (child.isAlive()) {
        child.destroyForcibly();
      }
    }
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return "--- " + file + " (last " + Math.min(lines, all.size()) + " lines) ---\n"
          + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "--- " + file + ": " + e.getMessage();
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (java.util.stream.Stream<Path> all = Files.walk(root)) {
      all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | java.io.UncheckedIOException ignored) {
      // a leftover temporary directory is harmless
    }
  }

  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }

  /** Whole-line replacements in a configuration file; each old line must be there exactly once. */
  private static final class ConfigEdit {
    private final Path file;
    private final List<String> lines;
    private final java.util.Set<Integer> replaced = new java.util.HashSet<>();

    ConfigEdit(Path file) throws IOException {
      this.file = file;
      this.lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    ConfigEdit line(String old, String replacement) {
      int index = lines.indexOf(old);
      if (index < 0 || lines.lastIndexOf(old) != index) {
        throw new IllegalStateException(file + ": expected exactly one line '" + old + "' to replace; "
            + "the file and " + SynapseStack.class.getSimpleName() + " must change together");
      }
      lines.set(index, replacement);
      replaced.add(index);
      return this;
    }

    /**
     * Fails if a line that was not replaced and is not a comment contains one of {@code fragments}: a setting the
     * test missed.
     */
    ConfigEdit refuseLeft(String... fragments) {
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (replaced.contains(i) || line.strip().startsWith("#")) {
          continue;
        }
        for (String fragment : fragments) {
          if (line.contains(fragment)) {
            throw new IllegalStateException(file + ": '" + line.strip() + "' still names " + fragment
                + " after the test's replacements; replace it in " + SynapseStack.class.getSimpleName());
          }
        }
      }
      return this;
    }

    String text() {
      return String.join("\n", lines) + "\n";
    }
  }
}
