package org.gatehouse.auth.oauth.grants;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
import org.gatehouse.auth.store.SessionStore;

/**
 * {@code refresh_token} with rotation: every use returns a new pair. A retry with the previous refresh token is
 * a lost response as long as the new pair was never used, and gets a replacement pair; a reuse after the new
 * pair was used is replay, and ends the session (MSC2964, {@code oauth-notes.md}). The access token issued with
 * the exchanged refresh token is revoked, everywhere, before the answer, as the reference Matrix authorization
 * service does: a client that refreshed has no use for it, and a copy of it stops working.
 */
public final class RefreshTokenGrant implements GrantHandler {
  private final Pool pool;
  private final SessionStore sessions;
  private final SessionTerminator terminator;
  private final Duration accessLifetime;
  private final Clock clock;

  public RefreshTokenGrant(Pool pool, SessionStore sessions, SessionTerminator terminator, Duration accessLifetime,
                           Clock clock) {
    this.pool = pool;
    this.sessions = sessions;
    this.terminator = terminator;
    this.accessLifetime = accessLifetime;
    this.clock = clock;
  }

  @Override
  public String grantType() {
    return GrantTypes.REFRESH_TOKEN;
  }

  /** @param replacedAccessToken digest of the revoked access token if nodes may have cached it, else null */
  private record Result(IssuedTokens tokens, String scope, UUID replayedSession, String replacedAccessToken) {
  }

  @Override
  public Future<JsonObject> exchange(RoutingContext ctx, FormParams form, Client client) {
    String token = form.required("refresh_token");
    if (!TokenFormat.REFRESH.matches(token)) {
      return Future.failedFuture(OAuthError.invalidGrant("unknown refresh token"));
    }
    Instant now = clock.instant();
    return pool.withTransaction(sql -> sessions.lockRefreshToken(sql, Digests.sha256(token)).compose(found -> {
          RefreshState state = found.orElseThrow(() -> OAuthError.invalidGrant("unknown refresh token"));
          return switch (RefreshDecision.of(state, client.clientId(), now)) {
            case ROTATE -> rotate(sql, state, now);
            case REISSUE -> sessions.revokeUnusedPair(sql, state.nextId(), now).compose(done -> rotate(sql, state, now));
            case REPLAY -> Future.succeededFuture(new Result(null, null, state.sessionId(), null));
            case INVALID -> Future.failedFuture(OAuthError.invalidGrant("the refresh token is no longer valid"));
          };
        }))
        .compose(result -> {
          if (result.replayedSession() != null) {
            return terminator.endSession(result.replayedSession(), "refresh token replayed", client.clientId())
                .compose(done -> Future.failedFuture(OAuthError.invalidGrant(
                    "the refresh token was already used; the session has been ended")));
          }
          return terminator.forgetAccessTokens(result.replacedAccessToken() == null ? List.of()
                  : List.of(result.replacedAccessToken()))
              .map(forgotten -> TokenResponses.of(result.tokens(), result.scope(), now));
        });
  }

  private Future<Result> rotate(io.vertx.sqlclient.SqlConnection sql, RefreshState state, Instant now) {
    return sessions.issueTokens(sql, state.sessionId(), accessLifetime)
        .compose(tokens -> sessions.setSuccessor(sql, state.refreshId(), tokens.refreshTokenId(), now)
            .compose(done -> sessions.revokeAccessTokenOf(sql, state.refreshId(), now))
            .map(replaced -> new Result(tokens, state.scope(), null, replaced.orElse(null))));
  }
}
