package org.gatehouse.admin.api;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.admin.domain.AuditAction;

/**
 * {@code DELETE /_gatehouse/admin/v1/users/{userId}/sessions/{sessionId}}: the auth module ends the session on
 * every node before it answers; 404 {@code M_NOT_FOUND} if the user has no such open session.
 */
final class EndSessionHandler implements Handler<RoutingContext> {
  private final AdminActions actions;

  EndSessionHandler(AdminActions actions) {
    this.actions = actions;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String userId = actions.target(ctx);
    String sessionId = ctx.pathParam("sessionId");
    ApiCalls.answer(ctx, 200, actions.accounts().endSession(userId, sessionId, AdminActions.caller(ctx))
        .compose(ended -> actions.audited(ctx, userId, AuditAction.END_SESSION, null,
            new JsonObject().put("session_id", sessionId), new JsonObject())));
  }
}
