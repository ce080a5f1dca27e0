package org.gatehouse.auth.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Matching requested redirect URIs against registered ones, and building the responses sent to them. */
public final class RedirectUris {
  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

  private RedirectUris() {
  }

  /**
   * Whether {@code requested} is one of {@code registered}: exact string equality, except that a loopback
   * redirect registered without a port matches any port (RFC 8252 §7.3, MSC2966).
   */
  public static boolean matches(String requested, List<String> registered) {
    if (registered.contains(requested)) {
      return true;
    }
    URI uri;
    try {
      uri = new URI(requested);
    } catch (URISyntaxException e) {
      return false;
    }
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null || !LOOPBACK.contains(uri.getHost()) || uri.getPort() < 0) {
      return false;
    }
    try {
      String withoutPort = new URI(uri.getScheme(), uri.getUserInfo(), uri.getHost(), -1, uri.getPath(), uri.getQuery(),
          uri.getFragment()).toString();
      return registered.contains(withoutPort) || registered.contains(uri.getScheme() + "://" + uri.getRawAuthority()
          .replaceFirst(":\\d+$", "") + (uri.getRawPath() == null ? "" : uri.getRawPath())
          + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** {@code base} with {@code params} added to its query ({@code query} mode) or as its fragment. */
  public static String withParams(String base, String responseMode, Map<String, String> params) {
    StringBuilder encoded = new StringBuilder();
    new LinkedHashMap<>(params).forEach((k, v) -> {
      if (v == null) {
        return;
      }
      if (encoded.length() > 0) {
        encoded.append('&');
      }
      encoded.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
    });
    if ("fragment".equals(responseMode)) {
      return base + "#" + encoded;
    }
    return base + (base.contains("?") ? "&" : "?") + encoded;
  }
}
