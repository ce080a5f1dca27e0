package org.gatehouse.database;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One forward-only schema change of one module: {@code db/migration/<module>/V<version>__<description>.sql}.
 * The checksum lets start-up notice a migration that was edited after it ran somewhere.
 */
public record Migration(String module, int version, String description, String sql, String checksum) {
  private static final Pattern FILE_NAME = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)\\.sql");

  static Migration fromFile(String module, String fileName, String sql) {
    Matcher m = FILE_NAME.matcher(fileName);
    if (!m.matches()) {
      throw new IllegalStateException("migration file " + module + "/" + fileName
          + " is not named V<version>__<description>.sql");
    }
    return new Migration(module, Integer.parseInt(m.group(1)), m.group(2).replace('_', ' '), sql, sha256(sql));
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
