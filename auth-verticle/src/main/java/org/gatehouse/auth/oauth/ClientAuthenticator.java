package org.gatehouse.auth.oauth;

import org.gatehouse.infra.hazelcast.HazelcastFutures;

import com.hazelcast.map.IMap;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.domain.Client;
import org.gatehouse.auth.domain.ClientKeys;
import org.gatehouse.auth.domain.ClientMetadata;
import org.gatehouse.auth.store.ClientStore;

/**
 * Client authentication at the token, revocation and introspection endpoints, by the method the client
 * registered: {@code none} (public clients), {@code client_secret_basic}, {@code client_secret_post} or
 * {@code private_key_jwt} (RFC 7523 assertions, each usable once). Presenting a different method than the one
 * registered fails like a wrong secret.
 */
public final class ClientAuthenticator {
  static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
  private static final Duration LEEWAY = Duration.ofSeconds(60);
  private static final Duration MAX_ASSERTION_LIFETIME = Duration.ofMinutes(10);

  private final Vertx vertx;
  private final ClientStore clients;
  private final IMap<String, Boolean> usedAssertions;
  private final List<String> audiences;
  private final Clock clock;

  /**
   * @param usedAssertions the module's Hazelcast map of assertion ids already seen (cluster-wide replay check)
   * @param audiences what an assertion's {@code aud} may name: the issuer and the endpoint URLs
   */
  public ClientAuthenticator(Vertx vertx, ClientStore clients, IMap<String, Boolean> usedAssertions,
                             List<String> audiences, Clock clock) {
    this.vertx = vertx;
    this.clients = clients;
    this.usedAssertions = usedAssertions;
    this.audiences = List.copyOf(audiences);
    this.clock = clock;
  }

  /** The authenticated client of the request, or {@code invalid_client}. */
  public Future<Client> authenticate(RoutingContext ctx, FormParams form) {
    Presented presented;
    try {
      presented = presented(ctx, form);
    } catch (OAuthError e) {
      return Future.failedFuture(e);
    }
    boolean basic = presented.method().equals(ClientMetadata.SECRET_BASIC);
    return clients.byId(presented.clientId()).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(OAuthError.invalidClient("unknown client", basic));
      }
      Client client = found.get();
      String registered = client.metadata().tokenEndpointAuthMethod();
      if (!registered.equals(presented.method())) {
        return Future.failedFuture(OAuthError.invalidClient("this client authenticates with " + registered, basic));
      }
      return switch (registered) {
        case ClientMetadata.NONE -> Future.succeededFuture(client);
        case ClientMetadata.SECRET_BASIC, ClientMetadata.SECRET_POST -> Digests.matches(presented.secret(),
            client.secretHash()) ? Future.succeededFuture(client)
            : Future.failedFuture(OAuthError.invalidClient("wrong client secret", basic));
        default -> verifyAssertion(client, presented.secret());
      };
    });
  }

  private record Presented(String clientId, String method, String secret) {
  }

  private static Presented presented(RoutingContext ctx, FormParams form) {
    String header = ctx.request().getHeader("Authorization");
    String formId = form.optional("client_id");
    String formSecret = form.optional("client_secret");
    String assertionType = form.optional("client_assertion_type");
    String assertion = form.optional("client_assertion");
    int methods = (header != null && header.regionMatches(true, 0, "Basic ", 0, 6) ? 1 : 0)
        + (formSecret != null ? 1 : 0) + (assertion != null ? 1 : 0);
    if (methods > 1) {
      throw OAuthError.invalidRequest("use exactly one client authentication method");
    }
    if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
      String[] parts = decodeBasic(header.substring(6).trim());
      if (formId != null && !formId.equals(parts[0])) {
        throw OAuthError.invalidClient("client_id does not match the credentials", true);
      }
      return new Presented(parts[0], ClientMetadata.SECRET_BASIC, parts[1]);
    }
    if (assertion != null) {
      if (!ASSERTION_TYPE.equals(assertionType)) {
        throw OAuthError.invalidRequest("client_assertion_type must be " + ASSERTION_TYPE);
      }
      String subject;
      try {
        subject = SignedJWT.parse(assertion).getJWTClaimsSet().getSubject();
      } catch (ParseException e) {
        throw OAuthError.invalidClient("client_assertion is not a signed JWT", false);
      }
      if (subject == null || (formId != null && !formId.equals(subject))) {
        throw OAuthError.invalidClient("client_assertion subject does not match client_id", false);
      }
      return new Presented(subject, ClientMetadata.PRIVATE_KEY_JWT, assertion);
    }
    if (formId == null) {
      throw OAuthError.invalidClient("client authentication is required", false);
    }
    return new Presented(formId, formSecret != null ? ClientMetadata.SECRET_POST : ClientMetadata.NONE, formSecret);
  }

  private static String[] decodeBasic(String encoded) {
    try {
      String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException();
      }
      // RFC 6749 §2.3.1: both parts are form-urlencoded before being joined.
      return new String[] {URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
          URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
    } catch (IllegalArgumentException e) {
      throw OAuthError.invalidClient("malformed Basic credentials", true);
    }
  }

  private Future<Client> verifyAssertion(Client client, String assertion) {
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(assertion);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      return Future.failedFuture(OAuthError.invalidClient("client_assertion is not a signed JWT", false));
    }
    if (!verifiedByClientKey(jwt, client)) {
      return Future.failedFuture(OAuthError.invalidClient("client_assertion signature does not verify", false));
    }
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    String problem = null;
    if (!client.clientId().equals(claims.getIssuer()) || !client.clientId().equals(claims.getSubject())) {
      problem = "iss and sub must be the client_id";
    } else if (claims.getAudience() == null || claims.getAudience().stream().noneMatch(audiences::contains)) {
      problem = "aud must name the issuer or the endpoint";
    } else if (exp == null || exp.toInstant().plus(LEEWAY).isBefore(now)) {
      problem = "client_assertion has expired";
    } else if (exp.toInstant().isAfter(now.plus(MAX_ASSERTION_LIFETIME))) {
      problem = "client_assertion lives too long (at most 10 minutes)";
    } else if (claims.getJWTID() == null) {
      problem = "client_assertion needs a jti";
    }
    if (problem != null) {
      return Future.failedFuture(OAuthError.invalidClient(problem, false));
    }
    long ttl = Math.max(1000, Duration.between(now, exp.toInstant()).plus(LEEWAY).toMillis());
    String key = client.clientId() + "/" + claims.getJWTID();
    return HazelcastFutures.onContext(usedAssertions.submitToKey(key, new MarkOnce(ttl)), vertx.getOrCreateContext())
        .compose(seen -> !seen ? Future.succeededFuture(client)
            : Future.failedFuture(OAuthError.invalidClient("client_assertion was already used", false)));
  }

  private static boolean verifiedByClientKey(SignedJWT jwt, Client client) {
    if (client.metadata().jwks() == null) {
      return false;
    }
    JWKSet keys = ClientKeys.parse(client.metadata().jwks());
    String kid = jwt.getHeader().getKeyID();
    for (JWK key : keys.getKeys()) {
      if (kid != null && !kid.equals(key.getKeyID())) {
        continue;
      }
      try {
        if (!(key instanceof AsymmetricJWK asymmetric)) {
          continue;
        }
        JWSVerifier verifier = new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(), asymmetric.toPublicKey());
        if (jwt.verify(verifier)) {
          return true;
        }
      } catch (JOSEException | IllegalStateException e) {
        // a key of another type or algorithm: try the next one
      }
    }
    return false;
  }
}
