package org.gatehouse.auth.domain;

/**
 * Why {@link ClientRegistrationRules} refuse a client's metadata: the field at fault, the reason (written for the
 * client's developer, and sent to them as it is) and the kind of refusal. The OAuth layer turns the kind into an
 * RFC 7591 error code; nothing here knows about HTTP.
 *
 * @param field the metadata field at fault ({@code redirect_uris}, {@code client_uri}, {@code client_name#fr}, ...),
 *     or {@code null} when the metadata as a whole is refused (too large)
 */
public record RegistrationRejected(String field, String reason, Kind kind) implements ClientRegistrationRules.Outcome {
  /** The two ways RFC 7591 §3.2.2 refuses a registration. */
  public enum Kind {
    /** A redirect URI is missing or not acceptable ({@code invalid_redirect_uri}). */
    REDIRECT_URI,
    /** Any other field is missing, malformed or not acceptable ({@code invalid_client_metadata}). */
    CLIENT_METADATA
  }

  static RegistrationRejected metadata(String field, String reason) {
    return new RegistrationRejected(field, reason, Kind.CLIENT_METADATA);
  }

  static RegistrationRejected redirectUri(String reason) {
    return new RegistrationRejected("redirect_uris", reason, Kind.REDIRECT_URI);
  }
}
