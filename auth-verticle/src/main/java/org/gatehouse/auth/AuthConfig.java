package org.gatehouse.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.gatehouse.auth.domain.AppserviceRegistration;
import org.gatehouse.auth.appservice.RegistrationFiles;
import org.gatehouse.auth.crypto.PasswordHasher;
import org.gatehouse.auth.domain.ClientMetadata;
import org.gatehouse.auth.domain.ClientRegistrationRules;
import org.gatehouse.auth.domain.RegistrationRejected;
import org.gatehouse.common.config.ConfigException;
import org.gatehouse.common.config.ConfigNode;
import org.gatehouse.common.module.NodeSettings;
import org.gatehouse.infra.ratelimit.RateLimit;

/**
 * The {@code auth} section of the configuration.
 *
 * @param issuer the OAuth issuer: compared byte for byte by strict clients, so configured, never guessed
 * @param introspectionSecret the bearer secret the homeserver presents to the introspection endpoint, or empty
 * @param anonymousWebSessionIdleTimeout how long a browser session nobody is signed in to lives without activity
 * @param legacyLogin what the legacy Matrix login API offers the clients and bots that have not moved to OAuth 2.0
 */
public record AuthConfig(
    String issuer,
    Duration accessTokenLifetime,
    Duration authorizationCodeLifetime,
    boolean selfRegistration,
    PasswordHasher.Cost passwordCost,
    RateLimit signInFailuresPerAccount,
    RateLimit signInFailuresPerAddress,
    Optional<String> introspectionSecret,
    Optional<Path> signingKeysFile,
    String idTokenAlgorithm,
    Duration webSessionIdleTimeout,
    Duration anonymousWebSessionIdleTimeout,
    PageLimits pageLimits,
    List<StaticClient> staticClients,
    List<Path> appserviceFiles,
    List<AppserviceRegistration> appservices,
    RateLimit appserviceDeviceCreation,
    Duration deviceGrantLifetime,
    int deviceGrantInterval,
    Duration crossSigningResetWindow,
    Duration refreshTokenReissueWindow,
    int deviceGrantMaxWaiters,
    LegacyLogin legacyLogin) {

  /**
   * The legacy Matrix login API (compatibility sessions).
   *
   * @param password whether {@code m.login.password} is offered
   * @param sso whether {@code m.login.sso} (Gatehouse's pages as the identity provider) and {@code m.login.token}
   *     are offered
   * @param trustedRedirects URL prefixes an SSO sign-in may return to without asking the person "continue to …?"
   */
  public record LegacyLogin(boolean password, boolean sso, List<String> trustedRedirects) {
  }

  /**
   * Limits of the browser pages, per client address and counted across the cluster (see docs/security.md).
   *
   * @param authorize {@code GET /oauth2/authorize} requests
   * @param newSession requests that would start a new browser session (no live session cookie)
   * @param wrongCodesPerAddress codes typed on the device-link page that match no pending request, per address
   * @param wrongCodesCluster the same, all addresses together: bounds how fast the code space can be searched
   */
  public record PageLimits(RateLimit authorize, RateLimit newSession, RateLimit wrongCodesPerAddress,
                           RateLimit wrongCodesCluster) {
  }

  /**
   * A client configured by the operator rather than registered: e.g. the homeserver's introspection client.
   *
   * @param secret the client secret for {@code client_secret_basic}/{@code client_secret_post}, or null
   * @param mayIntrospect whether it may call the introspection endpoint
   */
  public record StaticClient(String clientId, String secret, ClientMetadata metadata, boolean mayIntrospect) {
  }

  static AuthConfig read(ConfigNode section, NodeSettings node) {
    String issuer = section.optionalString("issuer").orElse(node.publicBaseUrl().toString());
    try {
      URI uri = new URI(issuer);
      if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getQuery() != null
          || uri.getFragment() != null || uri.getHost() == null) {
        throw new IllegalArgumentException();
      }
    } catch (Exception e) {
      throw section.problem("issuer", "expected an http(s) URL without query or fragment, got \"" + issuer + "\"");
    }
    ConfigNode hashing = section.section("password_hashing");
    PasswordHasher.Cost cost = new PasswordHasher.Cost(
        hashing.integer("memory_kib", PasswordHasher.Cost.DEFAULT.memoryKib(), 8, 4 * 1024 * 1024),
        hashing.integer("iterations", PasswordHasher.Cost.DEFAULT.iterations(), 1, 100),
        hashing.integer("parallelism", PasswordHasher.Cost.DEFAULT.parallelism(), 1, 64));
    ConfigNode limits = section.section("sign_in_limits");
    ConfigNode introspection = section.section("introspection");
    Optional<String> secret = introspection.optionalString("shared_secret");
    if (secret.isPresent() && secret.get().length() < 16) {
      throw introspection.problem("shared_secret", "must be at least 16 characters long");
    }
    if (node.homeserver().isPresent()) {
      // Synapse has one secret for both directions: the one it introspects with is the one Gatehouse calls it with.
      String homeserverSecret = node.homeserver().get().sharedSecret();
      if (secret.isPresent() && !secret.get().equals(homeserverSecret)) {
        throw introspection.problem("shared_secret", "differs from homeserver.secret; the homeserver uses one secret "
            + "both ways, so leave this key out (it defaults to homeserver.secret) or make them equal");
      }
      secret = Optional.of(homeserverSecret);
    }
    ConfigNode appservices = section.section("appservices");
    List<Path> appserviceFiles = appservices.strings("registration_files", List.of()).stream().map(Path::of).toList();
    ConfigNode deviceGrant = section.section("device_grant");
    ConfigNode wrongCodes = deviceGrant.section("wrong_codes");
    ConfigNode pages = section.section("page_limits");
    PageLimits pageLimits = new PageLimits(
        RateLimit.read(pages, "authorize", new RateLimit(2, 100)),
        RateLimit.read(pages, "new_session", new RateLimit(2, 100)),
        RateLimit.read(wrongCodes, "per_address", new RateLimit(0.05, 10)),
        RateLimit.read(wrongCodes, "cluster", new RateLimit(5, 300)));
    Duration webSessionIdle = section.duration("web_session_idle_timeout", Duration.ofMinutes(30),
        Duration.ofMinutes(1), Duration.ofDays(1));
    // Sign-in forms must outlive the few minutes it takes to fill them; at most as long as a signed-in session.
    Duration anonymousIdle = section.duration("anonymous_web_session_idle_timeout",
        Duration.ofMinutes(10).compareTo(webSessionIdle) < 0 ? Duration.ofMinutes(10) : webSessionIdle,
        Duration.ofSeconds(1), webSessionIdle);
    ConfigNode signing = section.section("signing");
    String alg = signing.string("id_token_algorithm", "ES256");
    if (!alg.equals("ES256") && !alg.equals("RS256")) {
      throw signing.problem("id_token_algorithm", "expected ES256 or RS256, got \"" + alg + "\"");
    }
    return new AuthConfig(
        issuer,
        section.duration("access_token_lifetime", Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofDays(1)),
        section.duration("authorization_code_lifetime", Duration.ofMinutes(10), Duration.ofMinutes(1),
            Duration.ofMinutes(10)),
        section.bool("self_registration", false),
        cost,
        RateLimit.read(limits, "per_account", new RateLimit(0.05, 5)),
        RateLimit.read(limits, "per_address", new RateLimit(0.5, 30)),
        secret,
        signing.optionalString("keys_file").map(Path::of),
        alg,
        webSessionIdle,
        anonymousIdle,
        pageLimits,
        staticClients(section),
        appserviceFiles,
        RegistrationFiles.read(appserviceFiles),
        RateLimit.read(appservices, "device_creation", new RateLimit(5, 50)),
        deviceGrant.duration("lifetime", Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofHours(1)),
        (int) deviceGrant.duration("interval", Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(60))
            .toSeconds(),
        section.duration("cross_signing_reset_window", Duration.ofMinutes(10), Duration.ofMinutes(1),
            Duration.ofHours(1)),
        section.duration("refresh_token_reissue_window", Duration.ofSeconds(60), Duration.ZERO, Duration.ofMinutes(10)),
        deviceGrant.integer("max_waiters", 10_000, 0, 1_000_000),
        legacyLogin(section.section("legacy_login")));
  }

  private static LegacyLogin legacyLogin(ConfigNode legacy) {
    List<String> trusted = legacy.strings("trusted_redirects", List.of(), prefix -> {
      java.net.URI uri;
      try {
        uri = new java.net.URI(prefix);
      } catch (java.net.URISyntaxException e) {
        uri = null;
      }
      // A path is required: without one, the prefix https://app.example.org would also trust
      // https://app.example.org.attacker.example/.
      if (uri == null || uri.getScheme() == null || uri.getRawAuthority() == null || uri.getRawPath() == null
          || !uri.getRawPath().startsWith("/")) {
        throw new IllegalArgumentException("expected an absolute URL prefix that ends its host with a path, such as "
            + "https://app.example.org/, got \"" + prefix + "\"");
      }
      return prefix;
    });
    return new LegacyLogin(legacy.bool("password", true), legacy.bool("sso", true), trusted);
  }

  private static List<StaticClient> staticClients(ConfigNode section) {
    List<StaticClient> clients = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (ConfigNode c : section.sections("static_clients")) {
      String id = c.requiredString("client_id");
      if (!id.matches("[A-Za-z0-9._~-]{1,128}")) {
        throw c.problem("client_id", "expected 1 to 128 characters from A-Z a-z 0-9 . _ ~ -");
      }
      if (!ids.add(id)) {
        throw c.problem("client_id", "duplicate client_id " + id);
      }
      JsonObject request = new JsonObject()
          .put("client_uri", c.string("client_uri", "https://localhost/"))
          .put("client_name", c.string("client_name", id))
          .put("application_type", c.string("application_type", "web"))
          .put("token_endpoint_auth_method", c.string("token_endpoint_auth_method", ClientMetadata.SECRET_BASIC))
          .put("redirect_uris", new JsonArray(c.strings("redirect_uris", List.of())))
          .put("grant_types", new JsonArray(c.strings("grant_types", List.of())))
          .put("response_types", new JsonArray(List.of("code")));
      // A client that only introspects uses no grant and has no redirect URIs.
      boolean noGrant = request.getJsonArray("grant_types").isEmpty();
      ClientRegistrationRules.Outcome outcome = ClientRegistrationRules.validate(noGrant
          ? request.copy().put("grant_types", new JsonArray().add("refresh_token")) : request);
      if (outcome instanceof RegistrationRejected rejected) {
        throw new ConfigException(c.path(), rejected.reason());
      }
      ClientMetadata validated = ((ClientRegistrationRules.Accepted) outcome).metadata();
      ClientMetadata metadata = noGrant
          ? ClientMetadata.fromJson(validated.toJson().put("grant_types", new JsonArray())) : validated;
      String secret = c.optionalString("client_secret").orElse(null);
      if (metadata.usesSecret() && (secret == null || secret.length() < 16)) {
        throw c.problem("client_secret", "a client secret of at least 16 characters is required for "
            + metadata.tokenEndpointAuthMethod());
      }
      if (metadata.tokenEndpointAuthMethod().equals(ClientMetadata.PRIVATE_KEY_JWT)) {
        throw c.problem("token_endpoint_auth_method", "static clients use none, client_secret_basic or client_secret_post");
      }
      boolean mayIntrospect = c.bool("may_introspect", false);
      if (mayIntrospect && metadata.tokenEndpointAuthMethod().equals(ClientMetadata.NONE)) {
        // A public client proves nothing at the token endpoint: anyone who knows its client_id could introspect.
        throw c.problem("may_introspect", "a public client (token_endpoint_auth_method: none) has no credentials, so"
            + " it cannot be allowed to introspect; use client_secret_basic or client_secret_post with a client_secret");
      }
      clients.add(new StaticClient(id, secret, metadata, mayIntrospect));
    }
    return List.copyOf(clients);
  }
}
