package org.gatehouse.admin.api;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import org.gatehouse.admin.auth.AuthAccounts;
import org.gatehouse.admin.domain.AuditAction;
import org.gatehouse.admin.domain.AuditEntry;
import org.gatehouse.admin.domain.LocalUserIds;

/**
 * {@code DELETE /_gatehouse/admin/v1/users/{userId}/sessions/{sessionId}}: the auth module ends the session on
 * every node before it answers; 404 {@code M_NOT_FOUND} if the user has no such open session.
 */
final class EndSessionHandler implements Handler<RoutingContext> {
  private final LocalUserIds userIds;
  private final AuthAccounts accounts;
  private final AuditTrail audit;
  private final Clock clock;

  EndSessionHandler(LocalUserIds userIds, AuthAccounts accounts, AuditTrail audit, Clock clock) {
    this.userIds = userIds;
    this.accounts = accounts;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String userId = userIds.requireLocal(ctx.pathParam("userId"));
    String sessionId = ctx.pathParam("sessionId");
    String caller = ApiCalls.caller(ctx).userId();
    accounts.endSession(userId, sessionId, caller)
        .compose(ended -> audit.record(AuditEntry.of(clock.instant(), caller, userId, AuditAction.END_SESSION, null,
            new JsonObject().put("session_id", sessionId))))
        .onSuccess(recorded -> ApiCalls.answer(ctx, 200, new JsonObject()))
        .onFailure(ctx::fail);
  }
}
