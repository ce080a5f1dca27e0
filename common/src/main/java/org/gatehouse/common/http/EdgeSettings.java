package org.gatehouse.common.http;

import java.util.List;

/**
 * What the HTTP edge needs to know: the body limit, whose {@code X-Forwarded-For} to believe, and which path
 * prefixes get the Matrix CORS headers.
 */
public record EdgeSettings(long maxBodyBytes, TrustedProxies trustedProxies, List<String> corsPathPrefixes) {
  public static final List<String> DEFAULT_CORS_PREFIXES = List.of("/_matrix/", "/.well-known/");
}
