package org.gatehouse.auth.oauth;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.gatehouse.auth.devicegrant.DeviceGrants;
import org.gatehouse.auth.domain.GrantTypes;
import org.gatehouse.auth.domain.Scope;
import org.gatehouse.common.http.HttpEdge;
import org.gatehouse.common.module.NodeSettings;
import org.gatehouse.infra.ratelimit.ClusterRateLimiter;
import org.gatehouse.infra.ratelimit.RateLimit;

/**
 * {@code POST /oauth2/device} (RFC 8628 §3.1, MSC4341): a client without a browser (the new device of a QR
 * login) asks for a device code and a user code; the user approves on {@code verification_uri}.
 */
public final class DeviceAuthorizationEndpoint {
  public static final String PATH = "/oauth2/device";
  public static final String LINK_PAGE = "/link";
  static final RateLimit PER_ADDRESS = new RateLimit(1, 30);

  private final ClientAuthenticator clientAuthenticator;
  private final DeviceGrants grants;
  private final ClusterRateLimiter limiter;
  private final NodeSettings node;

  public DeviceAuthorizationEndpoint(ClientAuthenticator clientAuthenticator, DeviceGrants grants,
                                     ClusterRateLimiter limiter, NodeSettings node) {
    this.clientAuthenticator = clientAuthenticator;
    this.grants = grants;
    this.limiter = limiter;
    this.node = node;
  }

  public void handle(RoutingContext ctx) {
    FormParams form = FormParams.body(ctx);
    Scope scope;
    try {
      scope = Scope.parse(form.required("scope"));
    } catch (IllegalArgumentException e) {
      throw OAuthError.invalidScope(e.getMessage());
    }
    if (scope.admin()) {
      throw OAuthError.invalidScope("the admin scope cannot be requested with a device code");
    }
    String address = HttpEdge.clientAddress(ctx);
    limiter.check("device-authorization:" + address, PER_ADDRESS)
        .compose(allowed -> clientAuthenticator.authenticate(ctx, form))
        .compose(client -> {
          if (!client.metadata().allowsGrant(GrantTypes.DEVICE_CODE)) {
            throw OAuthError.unauthorizedClient("this client did not register the device code grant");
          }
          return grants.start(client.clientId(), scope, address, ctx.request().getHeader("User-Agent"));
        })
        .onSuccess(started -> {
          String link = node.url(LINK_PAGE);
          OAuthResponses.json(ctx, 200, new JsonObject()
              .put("device_code", started.deviceCode())
              .put("user_code", started.grant().userCode())
              .put("verification_uri", link)
              .put("verification_uri_complete", link + "?code=" + started.grant().userCode())
              .put("expires_in", grants.lifetime().toSeconds())
              .put("interval", grants.intervalSeconds()));
        })
        .onFailure(ctx::fail);
  }
}
