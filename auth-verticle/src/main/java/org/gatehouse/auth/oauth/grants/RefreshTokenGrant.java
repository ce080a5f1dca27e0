package org.gatehouse.auth.oauth.grants;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.domain.Client;
import org.gatehouse.auth.domain.GrantTypes;
import org.gatehouse.auth.domain.IssuedTokens;
import org.gatehouse.auth.domain.RefreshDecision;
import org.gatehouse.auth.domain.RefreshState;
import org.gatehouse.auth.domain.TokenFormat;
import org.gatehouse.auth.oauth.FormParams;
import org.gatehouse.auth.oauth.OAuthError;
import org.gatehouse.auth.requester.SessionTerminator;
import org.gatehouse.auth.store.Stores;
import org.gatehouse.auth.store.TokenPairs;
import org.gatehouse.auth.store.Transaction;

/**
 * {@code refresh_token} with rotation: every use returns a new pair. A retry with the previous refresh token is
 * a lost response as long as the new pair was never used and the retry comes within the reissue window after
 * the first use, and gets a replacement pair; any other use of an old or replaced refresh token is replay, and
 * ends the session (MSC2964, {@code oauth-notes.md}, {@link RefreshDecision}). The access token issued with the
 * exchanged refresh token, and the one of a replaced pair, are revoked, everywhere, before the answer, as the
 * reference Matrix authorization service does: a client that refreshed has no use for them, and a copy stops
 * working.
 */
public final class RefreshTokenGrant implements GrantHandler {
  private final Stores stores;
  private final SessionTerminator terminator;
  private final Duration accessLifetime;
  private final Duration reissueWindow;
  private final Clock clock;

  public RefreshTokenGrant(Stores stores, SessionTerminator terminator, Duration accessLifetime, Duration reissueWindow,
                           Clock clock) {
    this.stores = stores;
    this.terminator = terminator;
    this.accessLifetime = accessLifetime;
    this.reissueWindow = reissueWindow;
    this.clock = clock;
  }

  @Override
  public String grantType() {
    return GrantTypes.REFRESH_TOKEN;
  }

  /** @param revokedAccessTokens digests of the access tokens revoked here that nodes may have cached */
  private record Result(IssuedTokens tokens, String scope, UUID replayedSession, List<String> revokedAccessTokens) {
  }

  @Override
  public Future<JsonObject> exchange(RoutingContext ctx, FormParams form, Client client) {
    String token = form.required("refresh_token");
    if (!TokenFormat.REFRESH.matches(token)) {
      return Future.failedFuture(OAuthError.invalidGrant("unknown refresh token"));
    }
    Instant now = clock.instant();
    return stores.inTransaction(tx -> tx.refreshTokens().lock(Digests.sha256(token)).compose(found -> {
          RefreshState state = found.orElseThrow(() -> OAuthError.invalidGrant("unknown refresh token"));
          return switch (RefreshDecision.of(state, client.clientId(), now, reissueWindow)) {
            case ROTATE -> rotate(tx, state, now, List.of());
            case REISSUE -> revokeUnusedPair(tx, state.nextId(), now)
                .compose(replaced -> rotate(tx, state, now, replaced.stream().toList()));
            case REPLAY -> Future.succeededFuture(new Result(null, null, state.sessionId(), List.of()));
            case INVALID -> Future.failedFuture(OAuthError.invalidGrant("the refresh token is no longer valid"));
          };
        }))
        .compose(result -> {
          if (result.replayedSession() != null) {
            return terminator.endSession(result.replayedSession(), "refresh token replayed", client.clientId())
                .compose(done -> Future.failedFuture(OAuthError.invalidGrant(
                    "the refresh token was already used; the session has been ended")));
          }
          return terminator.forgetAccessTokens(result.revokedAccessTokens())
              .map(forgotten -> TokenResponses.of(result.tokens(), result.scope(), now));
        });
  }

  /**
   * Revokes an unused successor pair (refresh token and its access token) that is being replaced. Completes with
   * the access token's digest (hex): "unused" was read under a lock on the refresh token only, so a first use of
   * the access token may have raced it and left it in a node's near cache.
   */
  private static Future<Optional<String>> revokeUnusedPair(Transaction tx, UUID refreshId, Instant at) {
    return tx.refreshTokens().revoke(refreshId, at).compose(accessTokenId -> accessTokenId.isEmpty()
        ? Future.succeededFuture(Optional.empty()) : tx.accessTokens().revoke(accessTokenId.get(), at));
  }

  private Future<Result> rotate(Transaction tx, RefreshState state, Instant now, List<String> alreadyRevoked) {
    return TokenPairs.issue(tx, state.sessionId(), accessLifetime, clock)
        .compose(tokens -> tx.refreshTokens().setSuccessor(state.refreshId(), tokens.refreshTokenId(), now)
            .compose(done -> tx.accessTokens().revokeIssuedWith(state.refreshId(), now))
            .map(replaced -> {
              List<String> revoked = new ArrayList<>(alreadyRevoked);
              replaced.ifPresent(revoked::add);
              return new Result(tokens, state.scope(), null, revoked);
            }));
  }
}
