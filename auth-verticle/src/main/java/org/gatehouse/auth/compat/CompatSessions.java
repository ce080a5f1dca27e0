package org.gatehouse.auth.compat;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.domain.ClientMetadata;
import org.gatehouse.auth.domain.IssuedTokens;
import org.gatehouse.auth.domain.Scope;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.store.Stores;
import org.gatehouse.auth.store.TokenPairs;
import org.gatehouse.common.auth.AuthFacts;
import org.gatehouse.common.homeserver.Homeserver;

/**
 * Compatibility sessions: what the legacy Matrix login API ({@code POST /login}) starts for clients and bots that
 * have not moved to OAuth 2.0. They are ordinary sessions of one reserved client ({@link #CLIENT_ID}), with the
 * Matrix API and device scopes and tokens of the usual formats, so the account page, the admin API, introspection,
 * MSC4323 enforcement, revocation and deactivation treat them as any other session. As for an OAuth sign-in, the
 * device is registered at the homeserver before the tokens exist.
 */
public final class CompatSessions {
  /** The client every compatibility session belongs to; it has no redirect URI and no grant of its own. */
  public static final String CLIENT_ID = "gatehouse-legacy-login";
  static final String CLIENT_NAME = "Matrix login API";
  /**
   * A client that did not ask for a refresh token cannot renew its access token, so the token must outlive any
   * client (the reference service's compatibility tokens never expire); a century is finite for the columns.
   */
  static final Duration NOT_REFRESHABLE = Duration.ofDays(36_525);
  /** What a device ID given by the client may be: it goes into a space-separated scope. */
  private static final Pattern DEVICE_ID = Pattern.compile("[\\x21-\\x7E]{1,255}");
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Long enough for a browser to come back to the application, short enough that a leaked one is soon useless. */
  static final Duration LOGIN_TOKEN_LIFETIME = Duration.ofMinutes(2);
  static final String LOGIN_TOKEN_PREFIX = "mlt_";

  /** A session started: who, which device, its tokens, and whether it can be refreshed. */
  public record Started(String userId, String deviceId, IssuedTokens tokens, boolean refreshable) {
  }

  private record Issued(IssuedTokens tokens, boolean deviceCreated) {
  }

  private final Stores stores;
  private final Homeserver homeserver;
  private final EventBus bus;
  private final UserIds userIds;
  private final Duration accessLifetime;
  private final Clock clock;

  public CompatSessions(Stores stores, Homeserver homeserver, EventBus bus, UserIds userIds, Duration accessLifetime,
                        Clock clock) {
    this.stores = stores;
    this.homeserver = homeserver;
    this.bus = bus;
    this.userIds = userIds;
    this.accessLifetime = accessLifetime;
    this.clock = clock;
  }

  /** Puts the reserved client in place (every start; it is the same on every node). */
  public Future<Void> registerClient(String clientUri) {
    ClientMetadata metadata = ClientMetadata.fromJson(new JsonObject()
        .put("client_name", CLIENT_NAME)
        .put("client_uri", clientUri)
        .put("application_type", "native")
        .put("redirect_uris", new JsonArray())
        .put("response_types", new JsonArray())
        .put("grant_types", new JsonArray())
        .put("token_endpoint_auth_method", ClientMetadata.NONE));
    return stores.clients().upsertStatic(CLIENT_ID, metadata, null, false);
  }

  /** Whether {@code deviceId} may be asked for. */
  public static boolean isAcceptableDeviceId(String deviceId) {
    return DEVICE_ID.matcher(deviceId).matches();
  }

  /**
   * A new session for {@code user} on {@code requestedDevice} (an existing device of theirs is reused; null makes
   * a new one), named {@code deviceName} when the device is new.
   */
  public Future<Started> start(User user, String requestedDevice, String deviceName, boolean refreshable) {
    String deviceId = requestedDevice != null ? requestedDevice : newDeviceId();
    String name = deviceName == null || deviceName.isBlank() ? CLIENT_NAME : deviceName.strip();
    String scope = Scope.API + " " + Scope.DEVICE_PREFIX + deviceId;
    Duration lifetime = refreshable ? accessLifetime : NOT_REFRESHABLE;
    return homeserver.upsertDevice(user.localpart(), deviceId, name)
        .compose(registered -> stores.inTransaction(tx -> tx.sessions().create(user.id(), deviceId, CLIENT_ID, scope)
            .compose(sessionId -> tx.devices().ensure(user.id(), deviceId, CLIENT_ID, name)
                .compose(created -> TokenPairs.issue(tx, sessionId, lifetime, clock)
                    .map(tokens -> new Issued(tokens, created))))))
        .map(issued -> {
          String userId = userIds.of(user.localpart());
          if (issued.deviceCreated()) {
            bus.publish(AuthFacts.DeviceCreated.ADDRESS,
                new AuthFacts.DeviceCreated(userId, deviceId, name, CLIENT_ID).toJson());
          }
          return new Started(userId, deviceId, issued.tokens(), refreshable);
        });
  }

  /**
   * A single-use login token for {@code userId}, handed to the application in the SSO redirect and exchanged with
   * {@code m.login.token} within {@link #LOGIN_TOKEN_LIFETIME}. Only its digest is kept.
   */
  public Future<String> issueLoginToken(UUID userId) {
    String token = LOGIN_TOKEN_PREFIX + Digests.randomAlphanumeric(32);
    Instant now = clock.instant();
    return stores.loginTokens().add(Digests.sha256(token), userId, now, now.plus(LOGIN_TOKEN_LIFETIME)).map(token);
  }

  /** The account of a login token still unused and unexpired, which is then spent; empty for any other. */
  public Future<Optional<User>> redeemLoginToken(String token) {
    if (token == null || !token.startsWith(LOGIN_TOKEN_PREFIX)) {
      return Future.succeededFuture(Optional.empty());
    }
    return stores.loginTokens().consume(Digests.sha256(token), clock.instant())
        .compose(userId -> userId.isEmpty() ? Future.succeededFuture(Optional.<User>empty())
            : stores.users().byId(userId.get()));
  }

  /** Ten capital letters, as Synapse makes them. */
  static String newDeviceId() {
    StringBuilder id = new StringBuilder(10);
    for (int i = 0; i < 10; i++) {
      id.append((char) ('A' + RANDOM.nextInt(26)));
    }
    return id.toString();
  }
}
