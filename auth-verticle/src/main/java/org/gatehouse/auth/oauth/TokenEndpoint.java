package org.gatehouse.auth.oauth;

import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.gatehouse.auth.oauth.grants.GrantHandler;

/** {@code POST /oauth2/token}: authenticates the client, then hands the request to the handler of its grant type. */
public final class TokenEndpoint {
  private final ClientAuthenticator clientAuthenticator;
  private final Map<String, GrantHandler> grants;

  public TokenEndpoint(ClientAuthenticator clientAuthenticator, List<GrantHandler> grants) {
    this.clientAuthenticator = clientAuthenticator;
    this.grants = grants.stream().collect(Collectors.toUnmodifiableMap(GrantHandler::grantType, Function.identity()));
  }

  public void handle(RoutingContext ctx) {
    FormParams form = FormParams.body(ctx);
    String grantType = form.required("grant_type");
    GrantHandler handler = grants.get(grantType);
    if (handler == null) {
      throw OAuthError.unsupportedGrantType("grant_type " + grantType + " is not supported");
    }
    clientAuthenticator.authenticate(ctx, form)
        .compose(client -> {
          if (!client.metadata().allowsGrant(grantType)) {
            throw OAuthError.unauthorizedClient("this client did not register the grant type " + grantType);
          }
          return handler.exchange(ctx, form, client);
        })
        .onSuccess(body -> OAuthResponses.json(ctx, 200, body))
        .onFailure(ctx::fail);
  }
}
