package org.gatehouse.server.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TCP sockets a process listens on, read the way {@code ss -ltnp} reads them: the socket inodes among the
 * process's open files ({@code /proc/<pid>/fd}), looked up in {@code /proc/net/tcp} and {@code /proc/net/tcp6}.
 */
public final class ListeningSockets {
  private static final Pattern SOCKET = Pattern.compile("socket:\\[(\\d+)]");
  private static final String LISTEN = "0A";

  /** One listening socket: the local address as {@link InetAddress#getHostAddress()} writes it, and the port. */
  public record Listening(String address, int port) {
    public boolean wildcard() {
      return address.equals("0.0.0.0") || address.equals("0:0:0:0:0:0:0:0");
    }

    @Override
    public String toString() {
      return address + ":" + port;
    }
  }

  private ListeningSockets() {
  }

  /** The sockets {@code pid} listens on (sorted by their text, for readable failures). */
  public static Set<Listening> of(long pid) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : fds) {
        try {
          Matcher m = SOCKET.matcher(Files.readSymbolicLink(fd).toString());
          if (m.matches()) {
            inodes.add(m.group(1));
          }
        } catch (IOException closedMeanwhile) {
          // the descriptor was closed while we listed them
        }
      }
    }
    Set<Listening> result = new TreeSet<>((a, b) -> a.toString().compareTo(b.toString()));
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines = Files.readAllLines(Path.of(table));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
        if (f[3].equals(LISTEN) && inodes.contains(f[9])) {
          String[] local = f[1].split(":");
          result.add(new Listening(address(local[0]), Integer.parseInt(local[1], 16)));
        }
      }
    }
    return result;
  }

  /** The sockets this JVM listens on. */
  public static Set<Listening> ofThisProcess() throws IOException {
    return of(ProcessHandle.current().pid());
  }

  /** /proc/net/tcp writes an address as 32-bit words in host (little-endian) order, in hex. */
  private static String address(String hex) {
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int at = word * 8 + (3 - i) * 2;
        bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    try {
      // An IPv4-mapped IPv6 address (a dual-stack socket bound to an IPv4 address) comes back as the IPv4 one.
      return InetAddress.getByAddress(bytes).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
