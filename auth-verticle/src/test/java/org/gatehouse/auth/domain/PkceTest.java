package org.gatehouse.auth.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PkceTest {
  @Test
  void rfc7636AppendixBExample() {
    String verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    assertThat(Pkce.challengeOf(verifier)).isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    assertThat(Pkce.verify(verifier, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")).isTrue();
  }

  @Test
  void msc2964Example() {
    // The MSC's sample verifier is shorter than RFC 7636 allows (43), so only its challenge is reproduced here.
    assertThat(Pkce.challengeOf("ogie4iVaeteeKeeLaid0aizuimairaCh")).isEqualTo("72xySjpngTcCxgbPfFmkPHjMvVDl2jW1aWP7-J6rmwU");
  }

  @Test
  void wrongOrMalformedVerifiersFail() {
    String challenge = Pkce.challengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    assertThat(Pkce.verify("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXK", challenge)).isFalse();
    assertThat(Pkce.verify("short", challenge)).isFalse();
    assertThat(Pkce.verify(null, challenge)).isFalse();
    assertThat(Pkce.isValidChallenge(challenge)).isTrue();
    assertThat(Pkce.isValidChallenge("plain-text-challenge")).isFalse();
  }
}
