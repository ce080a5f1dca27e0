package org.gatehouse.admin.auth;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.common.auth.Authenticator;
import org.gatehouse.common.auth.Requester;
import org.gatehouse.common.http.MatrixError;

/**
 * The door of every admin endpoint: the caller must be authenticated (with the lock and suspension rules of
 * {@link Authenticator}) and be a server administrator — the account's admin flag, or a token with the scope
 * {@code urn:synapse:admin:*} ({@link Requester#admin()}). It runs before anything about the target is looked
 * up, so a caller who is not an administrator learns nothing about which users exist.
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
