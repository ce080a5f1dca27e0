package org.gatehouse.admin.auth;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.common.auth.Authenticator;
import org.gatehouse.common.auth.Requester;
import org.gatehouse.common.http.MatrixError;

/**
 * The door of every admin endpoint (the admin API and MSC4323): the caller must be authenticated (with the scope,
 * lock and suspension rules of {@link Authenticator}) and have admin powers — the account's admin flag <em>and</em>
 * the scope {@code urn:synapse:admin:*} in its token, as the auth module decided ({@link Requester#admin()}); an
 * administrator's token without the scope gets the same {@code 403 M_FORBIDDEN} as anybody's. It runs before
 * anything about the target is looked up, so a caller who is not an administrator learns nothing about which users
 * exist.
 */
public final class AdminGate {
  private final Authenticator authenticator;

  public AdminGate(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  public Future<Requester> admit(RoutingContext ctx, Authenticator.Access access) {
    return authenticator.authenticate(ctx, access).compose(requester -> requester.admin()
        ? Future.succeededFuture(requester)
        : Future.failedFuture(MatrixError.forbidden("You are not a server administrator")));
  }
}
