package org.gatehouse.common.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Who made a request, as the auth module resolved it.
 *
 * <p>What a requester may do follows from the token, not only from the account (MSC2967): an OAuth access token
 * reaches the Matrix client-server API only with {@value #API_SCOPE} (or its unstable form
 * {@value #API_SCOPE_UNSTABLE}), see {@link #grantsClientApi()}; it has admin powers only when its account has the
 * admin flag <em>and</em> it carries {@value #ADMIN_SCOPE}, see {@link #admin()}. Appservice requests are governed by
 * their registration instead (namespaces), since an {@code as_token} is not an OAuth token and has no scopes.
 *
 * @param userId the full Matrix user ID acting (the asserted user for an appservice)
 * @param deviceId the device acting, or null (an appservice acting without a device)
 * @param scopes the scopes of the token as in force now (an appservice has none)
 * @param admin whether the requester has admin powers, as the auth module decided: for an OAuth token, the
 *     account's admin flag and the scope {@value #ADMIN_SCOPE} in the token; for an appservice acting as a user,
 *     that user's admin flag (masquerading is governed by the appservice's namespaces)
 * @param appserviceId the appservice behind the request, or null for a user's own token
 * @param sessionId the OAuth session the token belongs to, or null for an appservice
 * @param locked the account is locked (MSC3939): only logout may go on
 * @param suspended the account is suspended (MSC3823): reading only
 */
public record Requester(String userId, String deviceId, List<String> scopes, boolean admin, String appserviceId,
                        String sessionId, boolean locked, boolean suspended) {
  /** Full access to the Matrix client-server API (MSC2967). */
  public static final String API_SCOPE = "urn:matrix:client:api:*";
  /** The unstable form of {@link #API_SCOPE}, which clients still send. */
  public static final String API_SCOPE_UNSTABLE = "urn:matrix:org.matrix.msc2967.client:api:*";
  /** Admin powers, as a homeserver that delegates its authentication reads them. */
  public static final String ADMIN_SCOPE = "urn:synapse:admin:*";

  public Requester {
    scopes = List.copyOf(scopes);
  }

  public boolean isAppservice() {
    return appserviceId != null;
  }

  /**
   * Whether the token may use the Matrix client-server API: an OAuth token must carry {@link #API_SCOPE} or
   * {@link #API_SCOPE_UNSTABLE} (a token granted only {@code openid} is for {@code /oauth2/userinfo}); an appservice
   * token always may, within its namespaces.
   */
  public boolean grantsClientApi() {
    return isAppservice() || scopes.contains(API_SCOPE) || scopes.contains(API_SCOPE_UNSTABLE);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("user_id", userId)
        .put("device_id", deviceId)
        .put("scopes", new JsonArray(scopes))
        .put("admin", admin)
        .put("appservice_id", appserviceId)
        .put("session_id", sessionId)
        .put("locked", locked)
        .put("suspended", suspended);
  }

  public static Requester fromJson(JsonObject json) {
    JsonArray scopes = json.getJsonArray("scopes", new JsonArray());
    return new Requester(json.getString("user_id"), json.getString("device_id"),
        scopes.stream().map(String::valueOf).toList(), json.getBoolean("admin", false), json.getString("appservice_id"),
        json.getString("session_id"), json.getBoolean("locked", false), json.getBoolean("suspended", false));
  }
}
