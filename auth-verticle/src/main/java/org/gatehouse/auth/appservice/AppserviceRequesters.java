package org.gatehouse.auth.appservice;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;
import org.gatehouse.auth.domain.AppserviceRegistration;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.requester.AccountStatusView;
import org.gatehouse.auth.requester.RequesterResolver;
import org.gatehouse.auth.store.DeviceStore;
import org.gatehouse.auth.store.UserStore;
import org.gatehouse.common.admin.AccountStatus;
import org.gatehouse.common.auth.Requester;
import org.gatehouse.common.auth.ResolveRequest;
import org.gatehouse.common.http.MatrixError;

/**
 * Requester resolution for appservice tokens (identity assertion, MSC4326): the appservice acts as its sender or
 * as a registered user of its namespaces ({@code user_id}), optionally as one of that user's devices
 * ({@code device_id}, or the unstable {@code org.matrix.msc3202.device_id}).
 */
public final class AppserviceRequesters implements RequesterResolver.OtherTokens {
  /**
   * For either parameter name: Synapse (1.163) answers the stable code for the stable name, and no longer reads the
   * unstable name at all, so a proxy in front of it passes the device on as {@code device_id} (conf/synapse).
   * MSC4326's unstable code {@code ORG.MATRIX.MSC4326.M_UNKNOWN_DEVICE} is sent by no homeserver clients meet.
   */
  public static final String UNKNOWN_DEVICE = "M_UNKNOWN_DEVICE";

  private final AppserviceRegistry registry;
  private final UserStore users;
  private final DeviceStore devices;
  private final AccountStatusView statuses;
  private final UserIds userIds;
  private final Clock clock;

  public AppserviceRequesters(AppserviceRegistry registry, UserStore users, DeviceStore devices,
                              AccountStatusView statuses, UserIds userIds, Clock clock) {
    this.registry = registry;
    this.users = users;
    this.devices = devices;
    this.statuses = statuses;
    this.userIds = userIds;
    this.clock = clock;
  }

  @Override
  public Future<Requester> resolve(ResolveRequest request) {
    AppserviceRegistration appservice = registry.current().byToken(request.token()).orElse(null);
    if (appservice == null) {
      return Future.failedFuture(MatrixError.unknownToken("Unknown access token", false));
    }
    String sender = userIds.of(appservice.senderLocalpart());
    String userId = request.userId() != null ? request.userId() : sender;
    String localpart = userIds.localpartOf(userId);
    if (localpart == null || !appservice.covers(userId, sender)) {
      return Future.failedFuture(MatrixError.forbidden("Application service cannot masquerade as this user ("
          + userId + ")"));
    }
    return userFor(appservice, localpart, userId.equals(sender)).compose(user -> {
      if (request.deviceId() == null) {
        return Future.succeededFuture(requester(appservice, userId, null, user));
      }
      return devices.get(user.id(), request.deviceId()).compose(device -> {
        if (device.isEmpty()) {
          return Future.failedFuture(new MatrixError(400, UNKNOWN_DEVICE,
              "Unknown device " + request.deviceId() + " for " + userId));
        }
        devices.touch(user.id(), request.deviceId(), request.clientAddress(), clock.instant());
        return Future.succeededFuture(requester(appservice, userId, request.deviceId(), user));
      });
    });
  }

  /** The account behind an asserted user; the sender's is created on first use, others must be registered. */
  private Future<User> userFor(AppserviceRegistration appservice, String localpart, boolean isSender) {
    return users.byLocalpart(localpart).compose(found -> {
      if (found.isPresent()) {
        return found.get().deactivated()
            ? Future.failedFuture(MatrixError.forbidden("User " + userIds.of(localpart) + " is deactivated"))
            : Future.succeededFuture(found.get());
      }
      if (!isSender) {
        return Future.failedFuture(MatrixError.forbidden("Application service has not registered this user ("
            + userIds.of(localpart) + ")"));
      }
      return users.create(localpart, null, false, appservice.id())
          .recover(failure -> failure instanceof UserStore.DuplicateException
              ? users.byLocalpart(localpart).map(u -> u.orElseThrow()) : Future.failedFuture(failure));
    });
  }

  /**
   * An appservice token is not an OAuth token: it has no scopes, and what it may do is governed by its registration
   * (the namespaces it may masquerade in), so it reaches the client-server API ({@link Requester#grantsClientApi()})
   * and has admin powers exactly when the user it acts as has the admin flag. This is a deliberate decision, kept
   * as it was when OAuth tokens started needing {@code urn:synapse:admin:*}: the operator who registered the
   * appservice and put an administrator in its namespaces granted it.
   */
  private Requester requester(AppserviceRegistration appservice, String userId, String deviceId, User user) {
    AccountStatus status = statuses.of(userId);
    return new Requester(userId, deviceId, List.of(), user.admin(), appservice.id(), null, status.locked(),
        status.suspended());
  }
}
