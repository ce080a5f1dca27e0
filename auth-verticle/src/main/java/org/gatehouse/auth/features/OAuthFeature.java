package org.gatehouse.auth.features;

import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.gatehouse.auth.AuthConfig;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.crypto.SigningKeyLoader;
import org.gatehouse.auth.crypto.SigningKeys;
import org.gatehouse.auth.devicegrant.DeviceGrants;
import org.gatehouse.auth.devicegrant.GrantWakeUps;
import org.gatehouse.auth.domain.GrantTypes;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.oauth.AuthPaths;
import org.gatehouse.auth.oauth.ClientAuthenticator;
import org.gatehouse.auth.oauth.DeviceAuthorizationEndpoint;
import org.gatehouse.auth.oauth.Discovery;
import org.gatehouse.auth.oauth.IdTokens;
import org.gatehouse.auth.oauth.IntrospectionEndpoint;
import org.gatehouse.auth.oauth.OAuthErrorRenderer;
import org.gatehouse.auth.oauth.RegistrationEndpoint;
import org.gatehouse.auth.oauth.RevocationEndpoint;
import org.gatehouse.auth.oauth.TokenEndpoint;
import org.gatehouse.auth.oauth.UserInfoEndpoint;
import org.gatehouse.auth.oauth.grants.AuthorizationCodeGrant;
import org.gatehouse.auth.oauth.grants.DeviceCodeGrant;
import org.gatehouse.auth.oauth.grants.GrantHandler;
import org.gatehouse.auth.oauth.grants.RefreshTokenGrant;
import org.gatehouse.auth.requester.AccountStatusView;
import org.gatehouse.auth.requester.RequesterResolver;
import org.gatehouse.auth.requester.SessionTerminator;
import org.gatehouse.auth.store.Stores;
import org.gatehouse.common.homeserver.Homeserver;
import org.gatehouse.common.http.HttpEdge;
import org.gatehouse.common.module.NodeSettings;
import org.gatehouse.infra.ratelimit.ClusterRateLimiter;

/**
 * The OAuth 2.0 authorization server: metadata, the token endpoint and its three grants, dynamic registration,
 * revocation, introspection, the device authorization endpoint, the JWKS and userinfo. Everything under
 * {@code /oauth2/} fails as RFC 6749 errors. The browser side of the authorization code flow is in
 * {@link PagesFeature}.
 *
 * @see #start the configured clients and the signing keys come first
 */
public final class OAuthFeature {
  /**
   * What the feature is built from.
   *
   * @param usedAssertions client assertions (their {@code jti}) already used, cluster-wide
   * @param metadata what other features add to the server metadata
   */
  public record Needs(AuthConfig config, NodeSettings node, Vertx vertx, Stores stores, SessionTerminator terminator,
                      RequesterResolver resolver, AccountStatusView statuses, DeviceGrants deviceGrants,
                      GrantWakeUps wakeUps, ClusterRateLimiter limiter, IMap<String, Boolean> usedAssertions,
                      List<Discovery.Contributor> metadata, Homeserver homeserver, UserIds userIds, Clock clock) {
  }

  private final Needs needs;
  private final SigningKeys keys;
  private final ClientAuthenticator clientAuth;

  private OAuthFeature(Needs needs, SigningKeys keys) {
    this.needs = needs;
    this.keys = keys;
    NodeSettings node = needs.node();
    List<String> audiences = List.of(needs.config().issuer(), node.url(AuthPaths.TOKEN), node.url(AuthPaths.REVOKE),
        node.url(AuthPaths.INTROSPECT));
    this.clientAuth = new ClientAuthenticator(needs.vertx(), needs.stores().clients(), needs.usedAssertions(),
        audiences, needs.clock());
  }

  /** Creates or updates the configured clients, then loads (or creates) the signing keys. */
  public static Future<OAuthFeature> start(Needs needs) {
    List<Future<Void>> upserts = new ArrayList<>();
    for (AuthConfig.StaticClient client : needs.config().staticClients()) {
      upserts.add(needs.stores().clients().upsertStatic(client.clientId(), client.metadata(),
          client.secret() == null ? null : Digests.sha256(client.secret()), client.mayIntrospect()));
    }
    return Future.all(upserts)
        .compose(v -> SigningKeyLoader.load(needs.vertx(), needs.config().signingKeysFile(), needs.stores().signingKeys()))
        .map(keys -> new OAuthFeature(needs, keys));
  }

  /** How clients authenticate at the token, revocation, introspection and device endpoints (and the homeserver's). */
  public ClientAuthenticator clientAuthenticator() {
    return clientAuth;
  }

  public void mount(HttpEdge edge) {
    AuthConfig config = needs.config();
    NodeSettings node = needs.node();
    Clock clock = needs.clock();
    Router router = edge.router();
    edge.cors().cover("/oauth2/", List.of(), List.of());
    edge.renderErrorsUnder("/oauth2/", OAuthErrorRenderer::handleFailure);
    IdTokens idTokens = new IdTokens(config.issuer(), keys, config.idTokenAlgorithm(), clock);

    List<Discovery.Contributor> metadata = new ArrayList<>();
    metadata.add(m -> m.put("device_authorization_endpoint", node.url(DeviceAuthorizationEndpoint.PATH))
        .put("grant_types_supported", m.getJsonArray("grant_types_supported").copy().add(GrantTypes.DEVICE_CODE)));
    metadata.addAll(needs.metadata());
    new Discovery(config.issuer(), node, config.selfRegistration(), metadata).mount(router);
    List<GrantHandler> grants = List.of(
        new AuthorizationCodeGrant(needs.stores(), needs.terminator(), idTokens, needs.vertx().eventBus(),
            needs.userIds(), config.accessTokenLifetime(), clock, needs.homeserver()),
        new RefreshTokenGrant(needs.stores(), needs.terminator(), config.accessTokenLifetime(),
            config.refreshTokenReissueWindow(), clock),
        new DeviceCodeGrant(needs.stores(), needs.wakeUps(), config.accessTokenLifetime(), clock, needs.homeserver(),
            needs.statuses(), needs.userIds()));
    oauth(router.post(DeviceAuthorizationEndpoint.PATH), new DeviceAuthorizationEndpoint(clientAuth,
        needs.deviceGrants(), needs.limiter(), node)::handle);
    oauth(router.post(AuthPaths.TOKEN), new TokenEndpoint(clientAuth, grants)::handle);
    oauth(router.post(AuthPaths.REGISTER), new RegistrationEndpoint(needs.stores().clients(), needs.limiter(),
        clock)::handle);
    oauth(router.post(AuthPaths.REVOKE), new RevocationEndpoint(clientAuth, needs.stores().sessions(),
        needs.terminator())::handle);
    oauth(router.post(AuthPaths.INTROSPECT), new IntrospectionEndpoint(clientAuth, config.introspectionSecret(),
        needs.resolver(), needs.stores().refreshTokens(), needs.statuses(), needs.userIds(), clock,
        node.homeserver().map(NodeSettings.HomeserverLink::serviceTokens))::handle);
    String jwks = new JsonObject(keys.publicJwks()).encode();
    router.get(AuthPaths.JWKS).handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "public, max-age=3600").end(jwks));
    UserInfoEndpoint userInfo = new UserInfoEndpoint(needs.resolver(), needs.statuses(), needs.userIds(), clock);
    router.route(AuthPaths.USERINFO).method(HttpMethod.GET).method(HttpMethod.POST).handler(userInfo::handle);
  }

  private static void oauth(Route route, Handler<RoutingContext> handler) {
    route.handler(handler).failureHandler(OAuthErrorRenderer::handleFailure);
  }
}
