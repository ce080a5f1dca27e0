package org.gatehouse.auth.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashes: argon2id for every new password (PHC string format), bcrypt ({@code $2a$}, {@code $2b$},
 * {@code $2y$}) accepted for accounts imported from elsewhere and replaced by argon2id at their next sign-in.
 * Hashing is deliberately slow: callers run it on a worker thread, never on an event loop.
 */
public final class PasswordHasher {
  /** argon2id cost. OWASP's minimum recommendation is 19 MiB, 2 iterations, 1 lane. */
  public record Cost(int memoryKib, int iterations, int parallelism) {
    public static final Cost DEFAULT = new Cost(19 * 1024, 2, 1);
  }

  private static final Pattern ARGON2ID = Pattern.compile(
      "\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Cost cost;
  /** Verified against when the account does not exist, so that timing does not reveal which accounts exist. */
  private final String decoy;

  public PasswordHasher(Cost cost) {
    this.cost = cost;
    this.decoy = hash("decoy password that nobody has");
  }

  public String hash(String password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    byte[] out = argon2(password, salt, cost.memoryKib(), cost.iterations(), cost.parallelism());
    return "$argon2id$v=19$m=" + cost.memoryKib() + ",t=" + cost.iterations() + ",p=" + cost.parallelism()
        + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
  }

  /** Whether {@code password} matches {@code encoded}; a null or unrecognised hash never matches. */
  public boolean verify(String password, String encoded) {
    if (password == null || encoded == null) {
      verify("x", decoy);
      return false;
    }
    Matcher m = ARGON2ID.matcher(encoded);
    if (m.matches()) {
      byte[] salt = B64D.decode(m.group(4));
      byte[] expected = B64D.decode(m.group(5));
      byte[] actual = argon2(password, salt, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
          Integer.parseInt(m.group(3)), expected.length);
      return MessageDigest.isEqual(expected, actual);
    }
    if (isBcrypt(encoded)) {
      try {
        return OpenBSDBCrypt.checkPassword(encoded, password.toCharArray());
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    return false;
  }

  /** Runs the same work as a real verification; for unknown accounts. */
  public void verifyDecoy(String password) {
    verify(password == null ? "" : password, decoy);
  }

  /** Whether a successful sign-in should replace {@code encoded} with a fresh argon2id hash. */
  public boolean needsRehash(String encoded) {
    Matcher m = ARGON2ID.matcher(encoded);
    if (!m.matches()) {
      return true;
    }
    return Integer.parseInt(m.group(1)) < cost.memoryKib() || Integer.parseInt(m.group(2)) < cost.iterations();
  }

  public static boolean isBcrypt(String encoded) {
    return encoded.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");
  }

  /** Whether {@code encoded} is a hash this class can verify (for imports). */
  public static boolean isSupportedHash(String encoded) {
    return encoded != null && (ARGON2ID.matcher(encoded).matches() || isBcrypt(encoded));
  }

  private static byte[] argon2(String password, byte[] salt, int memoryKib, int iterations, int parallelism) {
    return argon2(password, salt, memoryKib, iterations, parallelism, 32);
  }

  private static byte[] argon2(String password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
    Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(memoryKib)
        .withIterations(iterations)
        .withParallelism(parallelism)
        .withSalt(salt)
        .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(params);
    byte[] out = new byte[length];
    generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
