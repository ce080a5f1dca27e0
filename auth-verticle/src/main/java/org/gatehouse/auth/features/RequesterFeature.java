package org.gatehouse.auth.features;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import org.gatehouse.auth.appservice.AppserviceRegistry;
import org.gatehouse.auth.appservice.AppserviceRequesters;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.requester.AccountStatusView;
import org.gatehouse.auth.requester.RequesterResolver;
import org.gatehouse.auth.requester.TokenCache;
import org.gatehouse.auth.store.Stores;
import org.gatehouse.common.auth.AuthFacts;
import org.gatehouse.common.bus.ClusterBroadcast;

/**
 * "Who is this bearer token?" for every module: the requester resolver (OAuth access tokens, and appservice tokens
 * through the appservice registry), its per-node cache, and the facts that keep every node's cache true.
 */
public final class RequesterFeature {
  static final int TOKEN_CACHE_ENTRIES = 200_000;

  /** What the feature is built from. */
  public record Needs(Vertx vertx, ClusterBroadcast broadcast, Stores stores, AccountStatusView statuses,
                      AppserviceRegistry appservices, UserIds userIds, Clock clock) {
  }

  private final Needs needs;
  private final TokenCache cache = new TokenCache(TOKEN_CACHE_ENTRIES);
  private final RequesterResolver resolver;

  public RequesterFeature(Needs needs) {
    this.needs = needs;
    this.resolver = new RequesterResolver(needs.stores().accessTokens(), needs.stores().devices(), cache,
        needs.statuses(), needs.userIds(), needs.clock());
    resolver.resolveOtherTokensWith(new AppserviceRequesters(needs.appservices(), needs.stores().users(),
        needs.stores().devices(), needs.statuses(), needs.userIds(), needs.clock()));
  }

  public RequesterResolver resolver() {
    return resolver;
  }

  /**
   * Keeps this node's cache true (sweeps it, forgets what the session, token and account facts name), then starts
   * the account-status view.
   */
  public Future<Void> start() {
    Vertx vertx = needs.vertx();
    ClusterBroadcast broadcast = needs.broadcast();
    vertx.setPeriodic(30_000, t -> cache.sweep(needs.clock().instant()));
    return broadcast.consume(AuthFacts.SessionEnded.ADDRESS, body -> {
          AuthFacts.SessionEnded.fromJson(body).sessions().forEach(s -> cache.invalidate(s.tokenHashes()));
          return Future.succeededFuture();
        }).completion()
        .compose(v -> broadcast.consume(AuthFacts.AccessTokensRevoked.ADDRESS, body -> {
          cache.invalidate(AuthFacts.AccessTokensRevoked.fromJson(body).tokenHashes());
          return Future.succeededFuture();
        }).completion())
        .compose(v -> broadcast.consume(AuthFacts.AccountChanged.ADDRESS, body -> {
          cache.invalidateUser(needs.userIds().localpartOf(AuthFacts.AccountChanged.fromJson(body).userId()));
          return Future.succeededFuture();
        }).completion())
        .compose(v -> needs.statuses().start(vertx, broadcast));
  }

  /** Answers the other modules' resolve requests: the module's last start step, once everything it needs runs. */
  public Future<Void> serve() {
    return resolver.register(needs.vertx().eventBus()).completion();
  }
}
