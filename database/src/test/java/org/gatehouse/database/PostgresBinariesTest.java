package org.gatehouse.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The binaries are unpacked once per archive, and a later start does not read the archive at all. */
class PostgresBinariesTest {
  @TempDir
  Path cache;

  /** An archive with a fixed fingerprint that counts how often its bytes are read. */
  static final class CountingArchive implements PostgresBinaries.Archive {
    final String fingerprint;
    final byte[] bytes;
    final AtomicInteger reads = new AtomicInteger();

    CountingArchive(String fingerprint, String version) throws IOException {
      this.fingerprint = fingerprint;
      this.bytes = txz(version);
    }

    @Override
    public String fingerprint() {
      return fingerprint;
    }

    @Override
    public InputStream open() {
      reads.incrementAndGet();
      return new ByteArrayInputStream(bytes);
    }
  }

  /** A tiny stand-in of zonky's archive: {@code bin/postgres} (executable) printing {@code version}. */
  static byte[] txz(String version) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new XZCompressorOutputStream(out))) {
      byte[] script = ("#!/bin/sh\necho " + version + "\n").getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry entry = new TarArchiveEntry("bin/postgres");
      entry.setMode(0755);
      entry.setSize(script.length);
      tar.putArchiveEntry(entry);
      tar.write(script);
      tar.closeArchiveEntry();
    }
    return out.toByteArray();
  }

  @Test
  void theFirstStartUnpacksAndLaterStartsDoNotReadTheArchive() throws Exception {
    CountingArchive first = new CountingArchive("100-abc", "17.6");
    Path bin = PostgresBinaries.unpack(cache, first);
    assertThat(first.reads).hasValue(1);
    assertThat(Files.isExecutable(bin.resolve("postgres"))).isTrue();
    assertThat(Files.readString(bin.resolve("postgres"))).contains("17.6");
    assertThat(Files.readString(cache.resolve("archive-100-abc.sha256")).trim()).matches("[0-9a-f]{64}")
        .startsWith(bin.getParent().getFileName().toString());

    CountingArchive again = new CountingArchive("100-abc", "17.6");
    assertThat(PostgresBinaries.unpack(cache, again)).isEqualTo(bin);
    assertThat(again.reads).as("reads of the archive on a later start").hasValue(0);
  }

  @Test
  void anotherArchiveGetsItsOwnDirectoryAndTheFirstStaysUsable() throws Exception {
    Path old = PostgresBinaries.unpack(cache, new CountingArchive("100-abc", "17.6"));
    CountingArchive upgraded = new CountingArchive("120-def", "18.0");
    Path bin = PostgresBinaries.unpack(cache, upgraded);
    assertThat(upgraded.reads).hasValue(1);
    assertThat(bin).isNotEqualTo(old);
    assertThat(Files.readString(bin.resolve("postgres"))).contains("18.0");
    assertThat(PostgresBinaries.unpack(cache, new CountingArchive("100-abc", "17.6"))).isEqualTo(old);
  }

  @Test
  void binariesRemovedBehindTheMarkerAreUnpackedAgain() throws Exception {
    Path bin = PostgresBinaries.unpack(cache, new CountingArchive("100-abc", "17.6"));
    Files.delete(bin.resolve("postgres"));
    CountingArchive again = new CountingArchive("100-abc", "17.6");
    // The directory is still there (an interrupted clean-up): it is not trusted, and the archive is read again.
    Path unpacked = PostgresBinaries.unpack(cache, again);
    assertThat(again.reads).hasValue(1);
    assertThat(unpacked).isEqualTo(bin);
    assertThat(Files.isExecutable(unpacked.resolve("postgres"))).isTrue();
  }

  @Test
  void aMarkerThatHoldsNoHashIsIgnoredAndRewritten() throws Exception {
    Files.writeString(cache.resolve("archive-100-abc.sha256"), "half-writ");
    CountingArchive archive = new CountingArchive("100-abc", "17.6");
    Path bin = PostgresBinaries.unpack(cache, archive);
    assertThat(archive.reads).hasValue(1);
    assertThat(Files.isExecutable(bin.resolve("postgres"))).isTrue();
    assertThat(Files.readString(cache.resolve("archive-100-abc.sha256")).trim()).matches("[0-9a-f]{64}");
  }

  @Test
  void theRealArchiveIsKnownByItsSizeAndChecksumWithoutReadingIt() throws Exception {
    String fingerprint = PostgresBinaries.onClassPath(getClass().getClassLoader()).fingerprint();
    // From the jar's central directory: the uncompressed size and the CRC-32 of postgres-linux-x86_64.txz.
    assertThat(fingerprint).matches("\\d{7,}-[0-9a-f]{1,8}");
  }
}
