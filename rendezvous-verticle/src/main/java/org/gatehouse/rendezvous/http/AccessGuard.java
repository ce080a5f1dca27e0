package org.gatehouse.rendezvous.http;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.common.auth.Authenticator;
import org.gatehouse.common.auth.Requester;
import org.gatehouse.common.http.HttpEdge;
import org.gatehouse.infra.ratelimit.ClusterRateLimiter;
import org.gatehouse.infra.ratelimit.RateLimit;

/**
 * Who may do what: per-client-address rate limits counted across the cluster (the address as the edge resolved
 * it, believing {@code X-Forwarded-For} only from {@code http.trusted_proxies}), and the requester check of
 * MSC4388's {@code authenticated} mode.
 */
public final class AccessGuard {
  private final ClusterRateLimiter limiter;
  private final RateLimit createLimit;
  private final RateLimit accessLimit;
  private final Authenticator authenticator;

  public AccessGuard(ClusterRateLimiter limiter, RateLimit createLimit, RateLimit accessLimit,
                     Authenticator authenticator) {
    this.limiter = limiter;
    this.createLimit = createLimit;
    this.accessLimit = accessLimit;
    this.authenticator = authenticator;
  }

  /** One session creation by this client: {@code 429 M_LIMIT_EXCEEDED} past its limit. */
  public Future<Void> creation(RoutingContext ctx) {
    return limiter.check("create:" + HttpEdge.clientAddress(ctx), createLimit);
  }

  /** One read, write or delete by this client: {@code 429 M_LIMIT_EXCEEDED} past its limit. */
  public Future<Void> access(RoutingContext ctx) {
    return limiter.check("access:" + HttpEdge.clientAddress(ctx), accessLimit);
  }

  /**
   * The requester of a valid access token. {@code READ} access: a suspended user may still sign in another
   * device; a locked account ({@code 401 M_USER_LOCKED}) and an unknown token ({@code 401 M_UNKNOWN_TOKEN}) may not.
   */
  public Future<Requester> requester(RoutingContext ctx) {
    return authenticator.authenticate(ctx, Authenticator.Access.READ);
  }
}
