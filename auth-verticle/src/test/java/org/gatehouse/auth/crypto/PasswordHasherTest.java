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
}
