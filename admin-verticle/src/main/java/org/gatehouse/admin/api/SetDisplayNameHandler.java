package org.gatehouse.admin.api;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import org.gatehouse.admin.auth.AuthAccounts;
import org.gatehouse.admin.domain.AuditAction;
import org.gatehouse.admin.domain.AuditEntry;
import org.gatehouse.admin.domain.LocalUserIds;
import org.gatehouse.admin.store.ModerationStore;

/**
 * {@code PUT /_gatehouse/admin/v1/users/{userId}/display_name}: sets or removes the name people see. The auth module
 * validates and stores it; a homeserver kept in step follows from the outbox.
 */
final class SetDisplayNameHandler implements Handler<RoutingContext> {
  private final LocalUserIds userIds;
  private final AuthAccounts accounts;
  private final ModerationStore moderation;
  private final AuditTrail audit;
  private final Clock clock;

  SetDisplayNameHandler(LocalUserIds userIds, AuthAccounts accounts, ModerationStore moderation, AuditTrail audit,
                        Clock clock) {
    this.userIds = userIds;
    this.accounts = accounts;
    this.moderation = moderation;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String userId = userIds.requireLocal(ctx.pathParam("userId"));
    JsonObject body = ApiCalls.body(ctx);
    String caller = ApiCalls.caller(ctx).userId();
    accounts.setDisplayName(userId, body.getString("display_name"))
        .compose(updated -> audit.record(AuditEntry.of(clock.instant(), caller, updated.userId(),
                AuditAction.SET_DISPLAY_NAME, body.getString("reason"),
                new JsonObject().put("display_name", updated.displayName())))
            .compose(recorded -> moderation.get(updated.userId()))
            .map(state -> UserViews.of(updated, state)))
        .onSuccess(user -> ApiCalls.answer(ctx, 200, user))
        .onFailure(ctx::fail);
  }
}
