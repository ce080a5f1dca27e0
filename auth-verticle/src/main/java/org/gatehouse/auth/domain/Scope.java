package org.gatehouse.auth.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.gatehouse.common.auth.Requester;

/**
 * A parsed OAuth scope (MSC2967): full client-server API access, exactly one device, OpenID, and the admin scope.
 * Both the stable {@code urn:matrix:client:} and the unstable {@code urn:matrix:org.matrix.msc2967.client:}
 * forms are understood; the scope is kept as the client wrote it, since tokens report it back verbatim.
 */
public record Scope(List<String> tokens, boolean api, String deviceId, boolean openid, boolean admin) {
  public static final String API = Requester.API_SCOPE;
  public static final String API_UNSTABLE = Requester.API_SCOPE_UNSTABLE;
  public static final String DEVICE_PREFIX = "urn:matrix:client:device:";
  public static final String DEVICE_PREFIX_UNSTABLE = "urn:matrix:org.matrix.msc2967.client:device:";
  public static final String OPENID = "openid";
  /** Grants admin rights (what the homeserver expects in delegated mode). */
  public static final String ADMIN = Requester.ADMIN_SCOPE;

  /** The scope tokens this server understands, for the metadata document (device scopes are patterns). */
  public static final List<String> SUPPORTED = List.of(OPENID, API, ADMIN, DEVICE_PREFIX + "*", API_UNSTABLE,
      DEVICE_PREFIX_UNSTABLE + "*");

  private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._~-]{10,128}");

  /** Parses {@code text}; throws {@link IllegalArgumentException} with a message fit for {@code invalid_scope}. */
  public static Scope parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("scope is required");
    }
    Set<String> tokens = new LinkedHashSet<>();
    for (String token : text.trim().split(" +")) {
      tokens.add(token);
    }
    boolean api = false;
    boolean openid = false;
    boolean admin = false;
    String device = null;
    for (String token : tokens) {
      if (token.equals(API) || token.equals(API_UNSTABLE)) {
        api = true;
      } else if (token.equals(OPENID)) {
        openid = true;
      } else if (token.equals(ADMIN)) {
        admin = true;
      } else if (token.startsWith(DEVICE_PREFIX) || token.startsWith(DEVICE_PREFIX_UNSTABLE)) {
        String id = token.substring(token.startsWith(DEVICE_PREFIX) ? DEVICE_PREFIX.length() : DEVICE_PREFIX_UNSTABLE.length());
        if (device != null) {
          throw new IllegalArgumentException("exactly one device scope is allowed");
        }
        if (!DEVICE_ID.matcher(id).matches()) {
          throw new IllegalArgumentException("device ID must be 10 to 128 characters from A-Z a-z 0-9 . _ ~ -");
        }
        device = id;
      } else {
        throw new IllegalArgumentException("unknown scope " + token);
      }
    }
    if ((api || admin) && device == null) {
      throw new IllegalArgumentException("a Matrix API scope needs exactly one device scope "
          + DEVICE_PREFIX + "<device id>");
    }
    if (device != null && !api) {
      throw new IllegalArgumentException("a device scope needs the API scope " + API);
    }
    return new Scope(List.copyOf(tokens), api, device, openid, admin);
  }

  /** The scope as a space-separated string. */
  public String text() {
    return String.join(" ", tokens);
  }

  /**
   * {@code text} as the introspection endpoint answers it: each Matrix API or device scope in both its stable and
   * its unstable form, since a homeserver may read only one (Synapse 1.136 and 1.137 only the unstable
   * {@code urn:matrix:org.matrix.msc2967.client:}, later ones either), as the reference service does. The order is
   * fixed: the tokens in the order written, each Matrix one replaced by its stable form then its unstable form;
   * repeats are dropped; every other token ({@code openid}, {@code urn:synapse:admin:*}) is kept as it is.
   */
  public static String withBothMatrixForms(String text) {
    Set<String> out = new LinkedHashSet<>();
    for (String token : text.trim().split(" +")) {
      if (token.equals(API) || token.equals(API_UNSTABLE)) {
        out.add(API);
        out.add(API_UNSTABLE);
      } else if (token.startsWith(DEVICE_PREFIX) || token.startsWith(DEVICE_PREFIX_UNSTABLE)) {
        String id = token.substring(token.startsWith(DEVICE_PREFIX) ? DEVICE_PREFIX.length() : DEVICE_PREFIX_UNSTABLE.length());
        out.add(DEVICE_PREFIX + id);
        out.add(DEVICE_PREFIX_UNSTABLE + id);
      } else if (!token.isEmpty()) {
        out.add(token);
      }
    }
    return String.join(" ", out);
  }

  /** The same scope without the admin token (for users who may not have it). */
  public Scope withoutAdmin() {
    List<String> kept = new ArrayList<>(tokens);
    kept.remove(ADMIN);
    return new Scope(List.copyOf(kept), api, deviceId, openid, false);
  }
}
