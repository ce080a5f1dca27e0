package org.gatehouse.auth.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashes: argon2id for every new password (PHC string format), bcrypt ({@code $2a$}, {@code $2b$},
 * {@code $2y$}) accepted for accounts imported from elsewhere and replaced by argon2id at their next sign-in.
 * Hashing is deliberately slow: callers run it on a worker thread, never on an event loop.
 *
 * <p>A hash carries its own cost, and anyone can make the server verify a password against an account's hash by
 * trying to sign in. So no hash is verified that costs more than {@link Bounds} allow: one that was imported with
 * {@code m=4194304} would otherwise make every attempt allocate 4 GiB, {@code $2b$31$} run for hours.
 */
public final class PasswordHasher {
  /** argon2id cost. OWASP's minimum recommendation is 19 MiB, 2 iterations, 1 lane. */
  public record Cost(int memoryKib, int iterations, int parallelism) {
    public static final Cost DEFAULT = new Cost(19 * 1024, 2, 1);
  }

  /** The most a hash may cost to verify: argon2id memory (KiB), iterations and lanes, and the bcrypt cost. */
  public record Bounds(int maxMemoryKib, int maxIterations, int maxParallelism, int maxBcryptCost) {
    /** 256 MiB, 10 iterations, 8 lanes; bcrypt cost 14 (about a second). */
    public static final Bounds DEFAULT = new Bounds(256 * 1024, 10, 8, 14);

    /** These bounds, widened where needed so that hashes of the configured cost always verify. */
    Bounds admitting(Cost cost) {
      return new Bounds(Math.max(maxMemoryKib, cost.memoryKib()), Math.max(maxIterations, cost.iterations()),
          Math.max(maxParallelism, cost.parallelism()), maxBcryptCost);
    }
  }

  private static final Pattern ARGON2ID = Pattern.compile(
      "\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Cost cost;
  private final Bounds bounds;
  /** Verified against when the account does not exist, so that timing does not reveal which accounts exist. */
  private final String decoy;

  public PasswordHasher(Cost cost) {
    this.cost = cost;
    this.bounds = Bounds.DEFAULT.admitting(cost);
    this.decoy = hash("decoy password that nobody has");
  }

  public String hash(String password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    byte[] out = argon2(password, salt, cost.memoryKib(), cost.iterations(), cost.parallelism());
    return "$argon2id$v=19$m=" + cost.memoryKib() + ",t=" + cost.iterations() + ",p=" + cost.parallelism()
        + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
  }

  /**
   * Whether {@code password} matches {@code encoded}; a null or unrecognised hash never matches, nor does one
   * beyond the bounds ({@link #costProblem}), which costs a decoy verification instead of its own.
   */
  public boolean verify(String password, String encoded) {
    if (password == null || encoded == null || costProblem(encoded).isPresent()) {
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

  /**
   * Why verifying {@code encoded} would cost more than the bounds allow, or be impossible, naming the parameter and
   * the bound (e.g. {@code argon2id memory m=4194304 KiB is above the limit of 262144 KiB}); empty when it is
   * fine or not a hash this class knows (which never verifies anyway).
   */
  public Optional<String> costProblem(String encoded) {
    Matcher m = ARGON2ID.matcher(encoded);
    if (m.matches()) {
      long memory = parameter(m.group(1));
      long iterations = parameter(m.group(2));
      long parallelism = parameter(m.group(3));
      if (memory > bounds.maxMemoryKib()) {
        return Optional.of("argon2id memory m=" + m.group(1) + " KiB is above the limit of " + bounds.maxMemoryKib()
            + " KiB");
      }
      if (iterations > bounds.maxIterations()) {
        return Optional.of("argon2id iterations t=" + m.group(2) + " is above the limit of " + bounds.maxIterations());
      }
      if (parallelism > bounds.maxParallelism()) {
        return Optional.of("argon2id parallelism p=" + m.group(3) + " is above the limit of "
            + bounds.maxParallelism());
      }
      if (iterations < 1 || parallelism < 1 || memory < 8 * parallelism) {
        return Optional.of("argon2id needs t >= 1, p >= 1 and m >= 8 * p");
      }
      return Optional.empty();
    }
    if (isBcrypt(encoded)) {
      int rounds = Integer.parseInt(encoded.substring(4, 6));
      if (rounds > bounds.maxBcryptCost()) {
        return Optional.of("bcrypt cost " + rounds + " is above the limit of " + bounds.maxBcryptCost());
      }
      if (rounds < 4) {
        return Optional.of("bcrypt cost " + rounds + " is below the minimum of 4");
      }
    }
    return Optional.empty();
  }

  /** A decimal parameter of a hash; absurdly long ones read as "too large" rather than overflowing. */
  private static long parameter(String digits) {
    return digits.length() > 10 ? Long.MAX_VALUE : Long.parseLong(digits);
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
