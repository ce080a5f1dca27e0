package org.gatehouse.auth.oauth;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.TreeMap;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.domain.ClientMetadata;
import org.gatehouse.auth.domain.ClientRegistrationRules;
import org.gatehouse.auth.domain.RegistrationRejected;
import org.gatehouse.auth.store.ClientStore;
import org.gatehouse.common.http.HttpEdge;
import org.gatehouse.infra.ratelimit.ClusterRateLimiter;
import org.gatehouse.infra.ratelimit.RateLimit;

/**
 * Dynamic client registration (RFC 7591, MSC2966). Answers {@code 201} with the client id and the metadata as
 * registered. Public clients with identical metadata share one client id; confidential clients get a secret
 * (shown once, stored hashed) or register their public keys for {@code private_key_jwt}.
 */
public final class RegistrationEndpoint {
  /** Registrations per client address: generous for real clients, a wall for scripted floods. */
  static final RateLimit PER_ADDRESS = new RateLimit(1, 30);

  private final ClientStore clients;
  private final ClusterRateLimiter limiter;
  private final Clock clock;

  public RegistrationEndpoint(ClientStore clients, ClusterRateLimiter limiter, Clock clock) {
    this.clients = clients;
    this.limiter = limiter;
    this.clock = clock;
  }

  public void handle(RoutingContext ctx) {
    JsonObject request;
    try {
      request = ctx.body().buffer() == null ? null : new JsonObject(ctx.body().buffer().toString(StandardCharsets.UTF_8));
    } catch (DecodeException e) {
      request = null;
    }
    if (request == null) {
      ctx.fail(OAuthError.invalidClientMetadata("the request body must be a JSON object"));
      return;
    }
    ClientRegistrationRules.Outcome outcome = ClientRegistrationRules.validate(request);
    if (outcome instanceof RegistrationRejected rejected) {
      ctx.fail(OAuthError.of(rejected));
      return;
    }
    ClientMetadata metadata = ((ClientRegistrationRules.Accepted) outcome).metadata();
    String secret = metadata.usesSecret() ? Digests.randomAlphanumeric(48) : null;
    String digest = metadata.isPublic() ? digest(metadata) : null;
    limiter.check("register:" + HttpEdge.clientAddress(ctx), PER_ADDRESS)
        .compose(allowed -> clients.register(Digests.randomAlphanumeric(24), metadata,
            secret == null ? null : Digests.sha256(secret), digest))
        .onSuccess(client -> {
          JsonObject response = client.metadata().toJson()
              .put("client_id", client.clientId())
              .put("client_id_issued_at", clock.instant().getEpochSecond());
          if (secret != null) {
            response.put("client_secret", secret).put("client_secret_expires_at", 0);
          }
          OAuthResponses.json(ctx, 201, response);
        })
        .onFailure(ctx::fail);
  }

  /** A digest of the canonical (key-sorted) metadata: equal metadata, equal digest. */
  static String digest(ClientMetadata metadata) {
    try {
      String canonical = new JsonObject(new TreeMap<>(metadata.toJson().getMap())).encode();
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
