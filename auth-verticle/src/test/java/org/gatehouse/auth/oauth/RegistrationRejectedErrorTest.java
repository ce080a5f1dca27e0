package org.gatehouse.auth.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import org.gatehouse.auth.domain.RegistrationRejected;
import org.junit.jupiter.api.Test;

/** A refused registration becomes the RFC 7591 §3.2.2 error of its kind, its reason the description. */
class RegistrationRejectedErrorTest {
  @Test
  void redirectUriRefusalsAreInvalidRedirectUri() {
    OAuthError error = OAuthError.of(new RegistrationRejected("redirect_uris", "http://x/ must be https",
        RegistrationRejected.Kind.REDIRECT_URI));
    assertThat(error.status()).isEqualTo(400);
    assertThat(error.error()).isEqualTo("invalid_redirect_uri");
    assertThat(error.description()).isEqualTo("http://x/ must be https");
  }

  @Test
  void otherRefusalsAreInvalidClientMetadata() {
    OAuthError error = OAuthError.of(new RegistrationRejected("client_uri", "client_uri is required",
        RegistrationRejected.Kind.CLIENT_METADATA));
    assertThat(error.status()).isEqualTo(400);
    assertThat(error.error()).isEqualTo("invalid_client_metadata");
    assertThat(error.description()).isEqualTo("client_uri is required");
  }
}
