package org.gatehouse.admin.api;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.admin.domain.LocalUserIds;
import org.gatehouse.admin.domain.StatusFilter;

/** {@code GET /_gatehouse/admin/v1/users?from&limit&status}. */
final class ListUsersHandler implements Handler<RoutingContext> {
  static final int DEFAULT_LIMIT = 100;

  private final LocalUserIds userIds;
  private final UserListing listing;

  ListUsersHandler(LocalUserIds userIds, UserListing listing) {
    this.userIds = userIds;
    this.listing = listing;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String from = ApiCalls.query(ctx, "from");
    if (from != null) {
      // Page tokens are user IDs of this server; anything else would silently restart the listing.
      userIds.requireLocal(from);
    }
    ApiCalls.answer(ctx, 200, listing.list(from, ApiCalls.queryInt(ctx, "limit", DEFAULT_LIMIT),
            StatusFilter.fromWireName(ApiCalls.query(ctx, "status")))
        .map(page -> {
          JsonObject body = new JsonObject().put("users", new JsonArray(page.items()));
          if (page.nextToken() != null) {
            body.put("next_token", page.nextToken());
          }
          return body;
        }));
  }
}
