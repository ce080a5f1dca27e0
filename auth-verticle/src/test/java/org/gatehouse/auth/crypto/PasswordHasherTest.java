package org.gatehouse.auth.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  private final PasswordHasher hasher = new PasswordHasher(PasswordHasher.Cost.DEFAULT);

  @Test
  void newPasswordsAreArgon2idWithTheConfiguredCost() {
    String hash = hasher.hash("correct horse battery staple");
    assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(hasher.verify("correct horse battery staple", hash)).isTrue();
    assertThat(hasher.verify("correct horse battery stapler", hash)).isFalse();
    assertThat(hasher.hash("same")).isNotEqualTo(hasher.hash("same"));
    assertThat(hasher.needsRehash(hash)).isFalse();
  }

  @Test
  void knownArgon2idVectorVerifies() {
    // Produced by the reference argon2 CLI: echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1
    String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
    assertThat(hasher.verify("password", reference)).isTrue();
    assertThat(hasher.verify("passwore", reference)).isFalse();
  }

  @Test
  void importedBcryptHashesVerifyAndAskForARehash() {
    String bcrypt = OpenBSDBCrypt.generate("2b", "hunter2".toCharArray(), new byte[16], 6);
    assertThat(PasswordHasher.isBcrypt(bcrypt)).isTrue();
    assertThat(hasher.verify("hunter2", bcrypt)).isTrue();
    assertThat(hasher.verify("hunter3", bcrypt)).isFalse();
    assertThat(hasher.needsRehash(bcrypt)).isTrue();
    // A hash written by another implementation ($2y$ from PHP's password_hash, cost 10)
    assertThat(hasher.verify("rasmuslerdorf", "$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a")).isTrue();
  }

  @Test
  void weakerArgon2HashesAreUpgradedAndGarbageNeverMatches() {
    String cheap = new PasswordHasher(new PasswordHasher.Cost(1024, 1, 1)).hash("pw");
    assertThat(hasher.verify("pw", cheap)).isTrue();
    assertThat(hasher.needsRehash(cheap)).isTrue();
    assertThat(hasher.verify("pw", "plain text")).isFalse();
    assertThat(hasher.verify("pw", null)).isFalse();
    assertThat(PasswordHasher.isSupportedHash("$1$md5crypt")).isFalse();
  }

  @Test
  void aStoredHashThatWouldTakeHoursOrGigabytesToVerifyFailsAtOnceInstead() {
    // Each would make every sign-in attempt on its account run for hours: 2^31 bcrypt rounds, 10^7 argon2 passes.
    String bcrypt31 = "$2b$31$" + "a".repeat(53);
    String argon2Passes = argon2("8", 10_000_000, 1);
    for (String costly : java.util.List.of(bcrypt31, argon2Passes)) {
      org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5),
          () -> assertThat(hasher.verify("password", costly)).isFalse(), costly);
    }
  }

  @Test
  void theCostBoundsNameTheParameterAndTheLimit() {
    assertThat(hasher.costProblem(argon2("262145", 2, 1)))
        .contains("argon2id memory m=262145 KiB is above the limit of 262144 KiB");
    assertThat(hasher.costProblem(argon2("65536", 11, 1)))
        .contains("argon2id iterations t=11 is above the limit of 10");
    assertThat(hasher.costProblem(argon2("65536", 2, 9)))
        .contains("argon2id parallelism p=9 is above the limit of 8");
    assertThat(hasher.costProblem(argon2("99999999999999999999", 2, 1)))
        .hasValueSatisfying(problem -> assertThat(problem).contains("above the limit of 262144 KiB"));
    assertThat(hasher.costProblem(argon2("4", 2, 1)))
        .isPresent();
    assertThat(hasher.costProblem("$2b$15$" + "a".repeat(53))).contains("bcrypt cost 15 is above the limit of 14");
    // At the bounds, and what the tests above verify, is fine.
    assertThat(hasher.costProblem(argon2("262144", 10, 8)))
        .isEmpty();
    assertThat(hasher.costProblem("$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a")).isEmpty();
  }

  @Test
  void hashesOfTheConfiguredCostAlwaysVerifyEvenAboveTheDefaultBounds() {
    PasswordHasher slow = new PasswordHasher(new PasswordHasher.Cost(1024, 12, 1));
    String hash = slow.hash("pw");
    assertThat(slow.costProblem(hash)).isEmpty();
    assertThat(slow.verify("pw", hash)).isTrue();
  }

  /** An argon2id hash with these parameters (the salt and output of the reference vector above). */
  private static String argon2(String memoryKib, int iterations, int parallelism) {
    return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism
        + "$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
  }
}
