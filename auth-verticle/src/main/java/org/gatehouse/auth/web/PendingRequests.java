package org.gatehouse.auth.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Session;

/** Authorization requests waiting in a browser session; a few at most, the oldest dropped first. */
final class PendingRequests {
  private static final String PREFIX = "authz:";
  private static final String INDEX = "authz";
  private static final int MAX = 10;

  private PendingRequests() {
  }

  static void put(Session session, AuthorizationRequest request) {
    JsonArray ids = session.get(INDEX) instanceof JsonArray a ? a : new JsonArray();
    ids.add(request.id());
    while (ids.size() > MAX) {
      session.remove(PREFIX + ids.remove(0));
    }
    session.put(INDEX, ids);
    session.put(PREFIX + request.id(), request.toJson());
  }

  static AuthorizationRequest get(Session session, String id) {
    if (id == null || session == null) {
      return null;
    }
    JsonObject json = session.get(PREFIX + id);
    return json == null ? null : AuthorizationRequest.fromJson(json);
  }

  static void remove(Session session, String id) {
    session.remove(PREFIX + id);
    if (session.get(INDEX) instanceof JsonArray ids) {
      ids.remove(id);
      session.put(INDEX, ids);
    }
  }
}
