package org.gatehouse.auth.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.gatehouse.auth.crypto.Digests;

/**
 * One appservice registration (the usual registration YAML), as far as authentication is concerned: its tokens,
 * its sender and the user namespaces it may act as.
 *
 * <p>The tokens are kept as SHA-256 digests (hex) only, so that the registrations shared by the cluster (a Hazelcast
 * map and a fact on the event bus) carry no token in clear. Gatehouse needs no more: it finds an appservice by the
 * digest of the token presented, and it never calls an appservice, so the {@code hs_token} (what the homeserver
 * presents to the appservice) is kept only so that a change of it is a change of the registrations.
 *
 * @param asTokenDigest SHA-256 (hex) of {@code as_token}
 * @param hsTokenDigest SHA-256 (hex) of {@code hs_token}
 * @param deviceManagement {@code io.element.msc4190}: may create and delete devices without /login or UIA
 */
public record AppserviceRegistration(String id, String url, String asTokenDigest, String hsTokenDigest,
                                     String senderLocalpart, List<Namespace> users, boolean rateLimited,
                                     boolean deviceManagement, String source) {
  /**
   * A user namespace: a regular expression over full user IDs, matched as Synapse matches it (Python's
   * {@code re.match}: anchored at the start only, so {@code @irc_} covers {@code @irc_alice:hs}). The registration
   * files are shared with the homeserver, so its reading is the one both must have.
   */
  public record Namespace(String regex, boolean exclusive, Pattern pattern) {
    public Namespace(String regex, boolean exclusive) {
      this(regex, exclusive, Pattern.compile(regex));
    }

    public boolean matches(String userId) {
      return pattern.matcher(userId).lookingAt();
    }
  }

  public AppserviceRegistration {
    users = List.copyOf(users);
  }

  /** Whether the appservice may act as {@code userId}: its sender or a user of its namespaces. */
  public boolean covers(String userId, String senderUserId) {
    return userId.equals(senderUserId) || users.stream().anyMatch(n -> n.matches(userId));
  }

  public boolean claimsExclusively(String userId) {
    return users.stream().anyMatch(n -> n.exclusive() && n.matches(userId));
  }

  /** The SHA-256 (hex) a token is kept as. */
  public static String digestOf(String token) {
    return HexFormat.of().formatHex(Digests.sha256(token));
  }

  public JsonObject toJson() {
    JsonArray namespaces = new JsonArray();
    users.forEach(n -> namespaces.add(new JsonObject().put("regex", n.regex()).put("exclusive", n.exclusive())));
    return new JsonObject().put("id", id).put("url", url).put("as_token_sha256", asTokenDigest)
        .put("hs_token_sha256", hsTokenDigest)
        .put("sender_localpart", senderLocalpart).put("users", namespaces).put("rate_limited", rateLimited)
        .put("device_management", deviceManagement).put("source", source);
  }

  public static AppserviceRegistration fromJson(JsonObject json) {
    List<Namespace> users = json.getJsonArray("users").stream().map(o -> (JsonObject) o)
        .map(n -> new Namespace(n.getString("regex"), n.getBoolean("exclusive"))).toList();
    return new AppserviceRegistration(json.getString("id"), json.getString("url"), json.getString("as_token_sha256"),
        json.getString("hs_token_sha256"), json.getString("sender_localpart"), users, json.getBoolean("rate_limited"),
        json.getBoolean("device_management"), json.getString("source"));
  }
}
