package org.gatehouse.admin.matrix;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import org.gatehouse.admin.auth.AdminGate;
import org.gatehouse.admin.domain.Moderation;
import org.gatehouse.admin.domain.ModerationChange;
import org.gatehouse.admin.domain.Restriction;
import org.gatehouse.admin.service.ModerationService;
import org.gatehouse.common.auth.Authenticator;
import org.gatehouse.common.auth.Requester;
import org.gatehouse.common.http.JsonBodies;

/**
 * {@code PUT /_matrix/client/v1/admin/{suspend|lock}/{userId}} (MSC4323). Answers once the new state is in force
 * on every node; 503 when a node did not confirm in time (the change is recorded; repeating the request confirms
 * it).
 */
public final class PutRestrictionHandler implements Handler<RoutingContext> {
  private final Restriction restriction;
  private final AdminGate gate;
  private final ModerationTargets targets;
  private final ModerationService moderation;
  private final Clock clock;

  public PutRestrictionHandler(Restriction restriction, AdminGate gate, ModerationTargets targets,
                               ModerationService moderation, Clock clock) {
    this.restriction = restriction;
    this.gate = gate;
    this.targets = targets;
    this.moderation = moderation;
    this.clock = clock;
  }

  @Override
  public void handle(RoutingContext ctx) {
    gate.admit(ctx, Authenticator.Access.WRITE)
        .compose(caller -> change(ctx, caller))
        .onSuccess(state -> ctx.json(RestrictionBodies.answer(restriction, state.state(restriction))))
        .onFailure(ctx::fail);
  }

  private Future<Moderation> change(RoutingContext ctx, Requester caller) {
    String userId = targets.wellFormed(ctx.pathParam("userId"));
    RestrictionBodies.Request request = RestrictionBodies.read(JsonBodies.object(ctx), restriction);
    return targets.resolve(caller, userId)
        .compose(account -> moderation.change(new ModerationChange(account.userId(), restriction, request.on(),
            caller.userId(), request.reason(), clock.instant())));
  }
}
