package org.gatehouse.admin.matrix;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.admin.auth.AdminGate;
import org.gatehouse.admin.domain.Restriction;
import org.gatehouse.admin.service.ModerationService;
import org.gatehouse.common.auth.Authenticator;

/** {@code GET /_matrix/client/v1/admin/{suspend|lock}/{userId}} (MSC4323). */
public final class GetRestrictionHandler implements Handler<RoutingContext> {
  private final Restriction restriction;
  private final AdminGate gate;
  private final ModerationTargets targets;
  private final ModerationService moderation;

  public GetRestrictionHandler(Restriction restriction, AdminGate gate, ModerationTargets targets,
                               ModerationService moderation) {
    this.restriction = restriction;
    this.gate = gate;
    this.targets = targets;
    this.moderation = moderation;
  }

  @Override
  public void handle(RoutingContext ctx) {
    gate.admit(ctx, Authenticator.Access.READ)
        .compose(caller -> targets.resolve(caller, targets.wellFormed(ctx.pathParam("userId"))))
        .compose(account -> moderation.get(account.userId()))
        .onSuccess(state -> ctx.json(RestrictionBodies.answer(restriction, state.state(restriction))))
        .onFailure(ctx::fail);
  }
}
