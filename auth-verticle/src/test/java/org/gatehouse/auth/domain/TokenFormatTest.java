package org.gatehouse.auth.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenFormatTest {
  @Test
  void generatedTokensHaveThePrefixRandomPartAndChecksum() {
    String access = TokenFormat.ACCESS.generate();
    assertThat(access).matches("mat_[A-Za-z0-9]{30}_[A-Za-z0-9]{6}");
    assertThat(TokenFormat.REFRESH.generate()).matches("mar_[A-Za-z0-9]{30}_[A-Za-z0-9]{6}");
    assertThat(TokenFormat.ACCESS.matches(access)).isTrue();
    assertThat(TokenFormat.REFRESH.matches(access)).isFalse();
    assertThat(TokenFormat.of(access)).isEqualTo(TokenFormat.ACCESS);
  }

  @Test
  void aSingleChangedCharacterFailsTheChecksum() {
    String token = TokenFormat.ACCESS.generate();
    char c = token.charAt(10);
    String mutated = token.substring(0, 10) + (c == 'a' ? 'b' : 'a') + token.substring(11);
    assertThat(TokenFormat.ACCESS.matches(mutated)).isFalse();
    assertThat(TokenFormat.of("mat_short")).isNull();
    assertThat(TokenFormat.of(null)).isNull();
  }

  @Test
  void checksumIsCrc32InBase62PaddedToSixCharacters() {
    // Expected value computed independently: Python's zlib.crc32, then base62 (0-9A-Za-z), six digits.
    assertThat(TokenFormat.checksum("mat_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).isEqualTo("4Vle69");
  }

  @Test
  void tokensDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      assertThat(seen.add(TokenFormat.ACCESS.generate())).isTrue();
    }
  }
}
