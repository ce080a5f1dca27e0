package org.gatehouse.common.auth;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.common.bus.BusErrors;
import org.gatehouse.common.http.AccessLog;
import org.gatehouse.common.http.HttpEdge;
import org.gatehouse.common.http.MatrixError;

/**
 * Authenticates a Matrix request: the one way every module learns who is calling. It reads the bearer token
 * (never from the query string: MSC4126), asks the auth module over the event bus, and applies the account
 * and scope rules in one place, in this order:
 *
 * <ul>
 *   <li>a token whose scope does not grant the Matrix client-server API ({@link Requester#grantsClientApi()}, e.g.
 *       one granted only {@code openid}) gets {@code 401 M_UNKNOWN_TOKEN} "Token doesn't grant access to the Matrix
 *       C-S API" with {@code soft_logout: false}, what Synapse answers for such a token: for the Matrix API it is
 *       not a token at all;</li>
 *   <li>a <b>locked</b> account (MSC3939) gets {@code 401 M_USER_LOCKED} with {@code soft_logout: true}
 *       everywhere except {@link Access#LOGOUT};</li>
 *   <li>a <b>suspended</b> account (MSC3823) gets {@code 403 M_USER_SUSPENDED} on {@link Access#WRITE}.</li>
 * </ul>
 *
 * <p>Admin powers are not decided here: {@link Requester#admin()} already says whether the token has them, and the
 * admin endpoints' gate refuses everyone else.
 */
public final class Authenticator {
  /** What the endpoint does, which decides how locked and suspended accounts are treated. */
  public enum Access {
    /** Reads state: allowed while suspended, refused while locked. */
    READ,
    /** Changes state: refused while suspended or locked. */
    WRITE,
    /** Ends the requester's own session or device: allowed while suspended or locked. */
    LOGOUT
  }

  public static final String UNSTABLE_DEVICE_PARAM = "org.matrix.msc3202.device_id";
  private static final DeliveryOptions OPTIONS = new DeliveryOptions().setSendTimeout(10_000).setLocalOnly(true);

  private final EventBus bus;

  public Authenticator(EventBus bus) {
    this.bus = bus;
  }

  /** The requester of {@code ctx}; fails with the Matrix error to answer. */
  public Future<Requester> authenticate(RoutingContext ctx, Access access) {
    ResolveRequest request;
    try {
      request = resolveRequest(ctx);
    } catch (MatrixError e) {
      return Future.failedFuture(e);
    }
    return bus.<JsonObject>request(AuthAddresses.RESOLVE_REQUESTER, request.toJson(), OPTIONS)
        .recover(failure -> Future.failedFuture(BusErrors.toMatrixError(failure)))
        .map(reply -> Requester.fromJson(reply.body()))
        .compose(requester -> admit(requester, access))
        .onSuccess(requester -> ctx.put(AccessLog.REQUESTER, requester.userId()
            + (requester.deviceId() == null ? "" : "/" + requester.deviceId())));
  }

  /** Applies the scope, lock and suspension rules to an already resolved requester. */
  public static Future<Requester> admit(Requester requester, Access access) {
    if (!requester.grantsClientApi()) {
      return Future.failedFuture(noClientApi());
    }
    if (requester.locked() && access != Access.LOGOUT) {
      return Future.failedFuture(MatrixError.userLocked());
    }
    if (requester.suspended() && access == Access.WRITE) {
      return Future.failedFuture(MatrixError.userSuspended());
    }
    return Future.succeededFuture(requester);
  }

  /** The answer to a token without the client-server API scope (as Synapse words it). */
  public static MatrixError noClientApi() {
    return MatrixError.unknownToken("Token doesn't grant access to the Matrix C-S API", false);
  }

  /** The bearer token of {@code ctx}, or null when there is none. */
  public static String bearerToken(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null) {
      return null;
    }
    int space = header.indexOf(' ');
    if (space < 0 || !header.substring(0, space).equalsIgnoreCase("Bearer")) {
      return null;
    }
    String token = header.substring(space + 1).trim();
    return token.isEmpty() ? null : token;
  }

  static ResolveRequest resolveRequest(RoutingContext ctx) {
    String token = bearerToken(ctx);
    if (token == null) {
      if (ctx.queryParams().contains("access_token")) {
        throw new MatrixError(401, "M_MISSING_TOKEN",
            "Access tokens in the query string are not accepted; send them in the Authorization header (MSC4126)");
      }
      throw MatrixError.missingToken();
    }
    String userId = ctx.queryParams().get("user_id");
    String deviceId = ctx.queryParams().get("device_id");
    if (deviceId == null) {
      deviceId = ctx.queryParams().get(UNSTABLE_DEVICE_PARAM);
    }
    return new ResolveRequest(token, userId, deviceId, HttpEdge.clientAddress(ctx));
  }
}
