package org.gatehouse.auth.web;

import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.domain.Client;
import org.gatehouse.auth.domain.GrantTypes;
import org.gatehouse.auth.domain.Pkce;
import org.gatehouse.auth.domain.Scope;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.oauth.AuthPaths;
import org.gatehouse.auth.oauth.FormParams;
import org.gatehouse.auth.oauth.OAuthError;
import org.gatehouse.auth.store.ClientStore;
import org.gatehouse.auth.web.view.MessageView;

/**
 * {@code GET /oauth2/authorize} (RFC 6749 §4.1, MSC2964, MSC2967). Until the client and its redirect URI are
 * known to belong together, errors are shown on a page (redirecting would make us an open redirector); after
 * that they go back to the client with {@code state} and {@code iss} (RFC 9207). A valid request waits in the
 * browser session while the user signs in and consents.
 *
 * <p>What waits in the session is bounded: {@code state} and {@code nonce} of at most {@link #MAX_STATE}
 * characters (longer ones are {@code invalid_request}, sent back to the client like every error once its redirect
 * is trusted), a scope of known tokens and a valid localpart as the hint. (Requests per address are limited in
 * front of this endpoint: {@link AddressLimit}.)
 */
public final class AuthorizeEndpoint {
  /** The longest {@code state} and {@code nonce} kept: plenty for a random value or a signed blob of a few claims. */
  static final int MAX_STATE = 512;
  private static final List<String> PROMPTS = List.of("none", "login", "consent", "create");

  private final ClientStore clients;
  private final Pages pages;
  private final UserIds userIds;
  private final String issuer;
  private final Clock clock;

  public AuthorizeEndpoint(ClientStore clients, Pages pages, UserIds userIds, String issuer, Clock clock) {
    this.clients = clients;
    this.pages = pages;
    this.userIds = userIds;
    this.issuer = issuer;
    this.clock = clock;
  }

  public void handle(RoutingContext ctx) {
    FormParams query = FormParams.query(ctx);
    String clientId;
    String requestedRedirect;
    try {
      clientId = query.optional("client_id");
      requestedRedirect = query.optional("redirect_uri");
    } catch (OAuthError e) {
      untrusted(ctx, e.description());
      return;
    }
    if (clientId == null) {
      untrusted(ctx, "The application did not say who it is (client_id is missing).");
      return;
    }
    clients.byId(clientId).onComplete(found -> {
      if (found.failed()) {
        ctx.fail(found.cause());
        return;
      }
      if (found.result().isEmpty()) {
        untrusted(ctx, "This application is not registered with this server.");
        return;
      }
      Client client = found.result().get();
      List<String> registered = client.metadata().redirectUris();
      String redirect = requestedRedirect != null ? requestedRedirect : registered.size() == 1 ? registered.get(0) : null;
      if (redirect == null || !RedirectUris.matches(redirect, registered)) {
        untrusted(ctx, "The application asked to return to an address it did not register.");
        return;
      }
      // MSC2964: the fragment response mode for https redirect URIs (the parameters never reach the web server
      // behind it); query otherwise (loopback and private-use URIs, RFC 6749's default). An explicit one is kept.
      String mode = redirect.regionMatches(true, 0, "https:", 0, 6) ? "fragment" : "query";
      String state = null;
      try {
        state = query.optional("state");
        String requestedMode = query.optional("response_mode");
        if (requestedMode != null && !requestedMode.equals("query") && !requestedMode.equals("fragment")) {
          throw OAuthError.invalidRequest("response_mode must be query or fragment");
        }
        mode = requestedMode == null ? mode : requestedMode;
        if (state != null && state.length() > MAX_STATE) {
          throw OAuthError.invalidRequest("state must be at most " + MAX_STATE + " characters");
        }
        AuthorizationRequest request = validate(client, redirect, requestedRedirect != null, mode, state, query,
            WebSessions.signedIn(ctx).isPresent());
        PendingRequests.put(ctx.session(), request);
        PageResponses.redirect(ctx, AuthPaths.CONSENT + "?id=" + request.id());
      } catch (OAuthError e) {
        PageResponses.redirect(ctx, errorRedirect(redirect, mode, state, e));
      }
    });
  }

  private AuthorizationRequest validate(Client client, String redirect, boolean redirectSent, String mode, String state,
                                        FormParams query, boolean signedIn) {
    String responseType = query.optional("response_type");
    if (!"code".equals(responseType)) {
      throw new OAuthError(400, "unsupported_response_type", "response_type must be code");
    }
    if (!client.metadata().allowsGrant(GrantTypes.AUTHORIZATION_CODE)) {
      throw OAuthError.unauthorizedClient("this client did not register the authorization_code grant");
    }
    String challenge = query.optional("code_challenge");
    String method = query.optional("code_challenge_method");
    if (challenge == null) {
      throw OAuthError.invalidRequest("PKCE is required: send code_challenge with code_challenge_method=S256");
    }
    if (!"S256".equals(method)) {
      throw OAuthError.invalidRequest("code_challenge_method must be S256");
    }
    if (!Pkce.isValidChallenge(challenge)) {
      throw OAuthError.invalidRequest("code_challenge must be 43 base64url characters");
    }
    Scope scope;
    try {
      scope = Scope.parse(query.optional("scope"));
    } catch (IllegalArgumentException e) {
      throw OAuthError.invalidScope(e.getMessage());
    }
    String prompt = query.optional("prompt");
    if (prompt != null) {
      List<String> values = List.of(prompt.trim().split(" +"));
      if (!PROMPTS.containsAll(values) || values.contains("none") && values.size() > 1) {
        throw OAuthError.invalidRequest("prompt must be none, or a combination of login, consent and create");
      }
      if (values.contains("none")) {
        // OIDC Core §3.1.2.6: without a signed-in browser session, login_required. Signed in, every authorization
        // still shows the consent page, so it can never complete without interaction: consent_required.
        throw signedIn ? new OAuthError(400, "consent_required", "this server always asks the user to consent")
            : new OAuthError(400, "login_required", "nobody is signed in in this browser");
      }
    }
    String nonce = query.optional("nonce");
    if (nonce != null && nonce.length() > MAX_STATE) {
      throw OAuthError.invalidRequest("nonce must be at most " + MAX_STATE + " characters");
    }
    String hint = query.optional("login_hint");
    String hintedLocalpart = hint != null && hint.startsWith("mxid:") ? userIds.localpartOf(hint.substring(5)) : null;
    return new AuthorizationRequest(Digests.randomAlphanumeric(22), client.clientId(), redirect, redirectSent, mode,
        state, scope.text(), challenge, nonce, prompt, hintedLocalpart, clock.instant());
  }

  /** The redirect carrying an error back to the client (always with {@code state} and {@code iss}). */
  public String errorRedirect(String redirect, String mode, String state, OAuthError error) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("error", error.error());
    params.put("error_description", error.description());
    params.put("state", state);
    params.put("iss", issuer);
    return RedirectUris.withParams(redirect, mode, params);
  }

  private void untrusted(RoutingContext ctx, String why) {
    pages.send(ctx, 400, new MessageView("This sign-in request cannot continue", why));
  }

}
