package org.gatehouse.auth.requester;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.domain.AccessGrant;
import org.gatehouse.auth.domain.Scope;
import org.gatehouse.auth.domain.TokenFormat;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.store.AccessTokenStore;
import org.gatehouse.auth.store.DeviceStore;
import org.gatehouse.common.admin.AccountStatus;
import org.gatehouse.common.auth.AuthAddresses;
import org.gatehouse.common.auth.Requester;
import org.gatehouse.common.auth.ResolveRequest;
import org.gatehouse.common.bus.BusErrors;
import org.gatehouse.common.http.MatrixError;

/**
 * Turns a bearer token into a {@link Requester}: the service behind {@link AuthAddresses#RESOLVE_REQUESTER},
 * answered on every node from its {@link TokenCache} or the database. Account state (locked, suspended) is read
 * live from the {@link AccountStatusView}; enforcing it is the caller's {@code Authenticator}.
 */
public final class RequesterResolver {
  /** A device's "last seen" is written at most this often per node. */
  static final Duration LAST_SEEN_INTERVAL = Duration.ofMinutes(1);

  /** Resolves tokens that are not OAuth access tokens (appservice tokens); null when there is none. */
  public interface OtherTokens {
    Future<Requester> resolve(ResolveRequest request);
  }

  private final AccessTokenStore accessTokens;
  private final DeviceStore devices;
  private final TokenCache cache;
  private final AccountStatusView statuses;
  private final UserIds userIds;
  private final Clock clock;
  private final ConcurrentHashMap<String, Long> lastSeenWritten = new ConcurrentHashMap<>();
  private volatile OtherTokens otherTokens = request -> Future.failedFuture(unknownToken());

  public RequesterResolver(AccessTokenStore accessTokens, DeviceStore devices, TokenCache cache, AccountStatusView statuses,
                           UserIds userIds, Clock clock) {
    this.accessTokens = accessTokens;
    this.devices = devices;
    this.cache = cache;
    this.statuses = statuses;
    this.userIds = userIds;
    this.clock = clock;
  }

  public void resolveOtherTokensWith(OtherTokens other) {
    this.otherTokens = other;
  }

  public MessageConsumer<JsonObject> register(EventBus bus) {
    return bus.<JsonObject>localConsumer(AuthAddresses.RESOLVE_REQUESTER, message ->
        resolve(ResolveRequest.fromJson(message.body())).onComplete(result -> {
          if (result.succeeded()) {
            message.reply(result.result().toJson());
          } else {
            BusErrors.reply(message, result.cause());
          }
        }));
  }

  public Future<Requester> resolve(ResolveRequest request) {
    if (request.token() == null) {
      return Future.failedFuture(MatrixError.missingToken());
    }
    if (!request.token().startsWith("mat_")) {
      return otherTokens.resolve(request);
    }
    Instant now = clock.instant();
    return activeGrant(request.token(), now).map(grant -> {
      noteLastSeen(grant, request.clientAddress(), now);
      return requesterOf(grant);
    });
  }

  /**
   * The grant of an active access token, or a 401 {@code M_UNKNOWN_TOKEN} (with {@code soft_logout} for an
   * expired token, which the client can refresh).
   */
  public Future<AccessGrant> activeGrant(String token, Instant now) {
    return grantOf(token).compose(grant -> {
      if (grant == null) {
        return Future.failedFuture(unknownToken());
      }
      if (grant.revokedAt() != null || grant.sessionFinishedAt() != null || grant.userDeactivatedAt() != null) {
        return Future.failedFuture(MatrixError.unknownToken("Access token has been revoked", false));
      }
      if (grant.expiredAt(now)) {
        return Future.failedFuture(MatrixError.unknownToken("Access token has expired", true));
      }
      return recordFirstUse(token, grant, now).map(grant);
    });
  }

  /**
   * Records the first use of an access token, once, before the use is answered: refresh rotation tells a lost
   * response from replay by whether the new access token was used. Where the homeserver delegates, its
   * introspection of the token is that use.
   */
  public Future<Void> recordFirstUse(String token, AccessGrant grant, Instant now) {
    if (grant.firstUsedAt() != null) {
      return Future.succeededFuture();
    }
    return accessTokens.markFirstUse(grant.tokenId(), now).map(done -> {
      cache.invalidate(List.of(digestOf(token)));
      return null;
    });
  }

  /** The stored grant of {@code token} (cached), or null if there is none; no checks. */
  public Future<AccessGrant> grantOf(String token) {
    if (!TokenFormat.ACCESS.matches(token)) {
      return Future.succeededFuture(null);
    }
    String digest = digestOf(token);
    Instant now = clock.instant();
    AccessGrant cached = cache.get(digest, now);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    long generation = cache.generation();
    return accessTokens.grant(HexFormat.of().parseHex(digest)).map(found -> {
      AccessGrant grant = found.orElse(null);
      if (grant != null && grant.activeAt(now) && grant.firstUsedAt() != null) {
        cache.put(digest, grant, generation, now);
      }
      return grant;
    });
  }

  /**
   * The requester of an OAuth access token. Admin powers need both the account's admin flag and the scope
   * {@code urn:synapse:admin:*} in the token (the scope lapses with the flag, see {@link #effectiveScope}), as the
   * homeserver reads them: an administrator's token granted only the API scope, or only {@code openid}, acts as a
   * plain user, so a third-party application an administrator signs into gets no admin powers unless the
   * administrator consented to "act as a server administrator". Whether the scope grants the client-server API at
   * all is {@code Authenticator}'s check ({@link Requester#grantsClientApi()}).
   */
  public Requester requesterOf(AccessGrant grant) {
    String userId = userIds.of(grant.localpart());
    List<String> scopes = List.of(effectiveScope(grant.scope(), grant.userAdmin()).split(" "));
    AccountStatus status = statuses.of(userId);
    boolean admin = grant.userAdmin() && scopes.contains(Scope.ADMIN);
    return new Requester(userId, grant.deviceId(), scopes, admin, null, grant.sessionId().toString(),
        status.locked(), status.suspended());
  }

  /**
   * The scope a token has now: as granted, minus {@code urn:synapse:admin:*} once its account no longer has the
   * admin flag, so a demoted account's old sessions carry no admin rights, here or at the homeserver.
   */
  public static String effectiveScope(String granted, boolean accountIsAdmin) {
    if (accountIsAdmin || !List.of(granted.split(" ")).contains(Scope.ADMIN)) {
      return granted;
    }
    return String.join(" ", java.util.Arrays.stream(granted.split(" ")).filter(s -> !s.equals(Scope.ADMIN)).toList());
  }

  public static String digestOf(String token) {
    return HexFormat.of().formatHex(Digests.sha256(token));
  }

  private void noteLastSeen(AccessGrant grant, String address, Instant now) {
    if (grant.deviceId() == null) {
      return;
    }
    String key = grant.userId() + "/" + grant.deviceId();
    long nowMillis = now.toEpochMilli();
    Long previous = lastSeenWritten.get(key);
    if (previous != null && nowMillis - previous < LAST_SEEN_INTERVAL.toMillis()) {
      return;
    }
    lastSeenWritten.put(key, nowMillis);
    if (lastSeenWritten.size() > 100_000) {
      lastSeenWritten.clear();
    }
    // Best effort and off the request's path: a lost "last seen" update is harmless.
    devices.touch(grant.userId(), grant.deviceId(), address, now);
  }

  static MatrixError unknownToken() {
    return MatrixError.unknownToken("Unknown access token", false);
  }
}
