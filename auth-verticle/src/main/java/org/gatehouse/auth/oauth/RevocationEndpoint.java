package org.gatehouse.auth.oauth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.domain.TokenFormat;
import org.gatehouse.auth.requester.SessionTerminator;
import org.gatehouse.auth.store.SessionStore;

/**
 * {@code POST /oauth2/revoke} (RFC 7009, MSC4254): either token of a pair ends the whole session — access and
 * refresh tokens and the device — on every node before the answer. Unknown tokens get 200 too. A client that
 * presents credentials must present valid ones; a bare or mismatching {@code client_id} still revokes, so that
 * secret scanners can revoke leaked tokens.
 */
public final class RevocationEndpoint {
  private final ClientAuthenticator clientAuthenticator;
  private final SessionStore sessions;
  private final SessionTerminator terminator;

  public RevocationEndpoint(ClientAuthenticator clientAuthenticator, SessionStore sessions, SessionTerminator terminator) {
    this.clientAuthenticator = clientAuthenticator;
    this.sessions = sessions;
    this.terminator = terminator;
  }

  public void handle(RoutingContext ctx) {
    FormParams form = FormParams.body(ctx);
    String token = form.required("token");
    // token_type_hint is ignored: either token ends the whole session, and RFC 7009 §2.1 lets the server look
    // beyond the hint; an unknown hint is not an unsupported token *type* (§2.2.1), so it is not refused either.
    checkCredentialsIfPresented(ctx, form)
        .compose(checked -> TokenFormat.of(token) == null ? Future.succeededFuture()
            : sessions.sessionOfToken(Digests.sha256(token)).compose(session -> session.isEmpty()
                ? Future.succeededFuture()
                : terminator.endSession(session.get(), "revoked", "revocation")))
        .onSuccess(done -> OAuthResponses.json(ctx, 200, new JsonObject()))
        .onFailure(ctx::fail);
  }

  private Future<Void> checkCredentialsIfPresented(RoutingContext ctx, FormParams form) {
    boolean presented = ctx.request().getHeader("Authorization") != null || form.optional("client_secret") != null
        || form.optional("client_assertion") != null;
    return presented ? clientAuthenticator.authenticate(ctx, form).mapEmpty() : Future.succeededFuture();
  }
}
