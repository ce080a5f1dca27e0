package org.gatehouse.auth.accounts;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.requester.SessionTerminator;
import org.gatehouse.auth.store.DeviceStore;
import org.gatehouse.auth.store.SessionStore;
import org.gatehouse.auth.store.UserStore;
import org.gatehouse.common.auth.AccountInfo;
import org.gatehouse.common.auth.AuthAddresses;
import org.gatehouse.common.auth.AuthFacts;
import org.gatehouse.common.auth.CreateAccount;
import org.gatehouse.common.auth.SessionInfo;
import org.gatehouse.common.bus.BusErrors;
import org.gatehouse.common.http.MatrixError;

/**
 * Account administration on behalf of the admin module, served on the {@code gatehouse.auth.accounts.*},
 * {@code sessions.*} and {@code devices.list} addresses. Changes that cached token resolutions depend on (admin
 * flag, deactivation) are in force on every node before the reply.
 */
public final class AccountService {
  static final int MAX_PAGE = 1000;

  private final UserStore users;
  private final SessionStore sessions;
  private final DeviceStore devices;
  private final SessionTerminator terminator;
  private final AccountCreation creation;
  private final Deactivation deactivation;
  private final UserIds userIds;
  private EventBus bus;

  public AccountService(UserStore users, SessionStore sessions, DeviceStore devices, SessionTerminator terminator,
                        AccountCreation creation, Deactivation deactivation, UserIds userIds) {
    this.users = users;
    this.sessions = sessions;
    this.devices = devices;
    this.terminator = terminator;
    this.creation = creation;
    this.deactivation = deactivation;
    this.userIds = userIds;
  }

  public Future<Void> register(EventBus bus) {
    this.bus = bus;
    return Future.all(List.of(
        serve(bus, AuthAddresses.ACCOUNT_GET, body -> account(body).map(this::info)),
        serve(bus, AuthAddresses.ACCOUNT_LIST, this::list),
        serve(bus, AuthAddresses.ACCOUNT_CREATE, this::create),
        serve(bus, AuthAddresses.ACCOUNT_SET_ADMIN, this::setAdmin),
        serve(bus, AuthAddresses.ACCOUNT_SET_DISPLAY_NAME, this::setDisplayName),
        serve(bus, AuthAddresses.ACCOUNT_DEACTIVATE, this::deactivate),
        serve(bus, AuthAddresses.SESSIONS_LIST, this::listSessions),
        serve(bus, AuthAddresses.SESSION_END, this::endSession),
        serve(bus, AuthAddresses.DEVICES_LIST, this::listDevices))).mapEmpty();
  }

  /**
   * Serves {@link AuthAddresses#ACCOUNT_CREATE} alone, for a node started for one command-line command: such a node
   * is in no cluster, so it must not serve what other nodes' caches depend on (the admin flag, deactivation).
   */
  public static Future<Void> serveCreation(EventBus bus, AccountCreation creation, UserIds userIds) {
    // Creation reads only the creation service and the user IDs.
    AccountService creating = new AccountService(null, null, null, null, creation, null, userIds);
    return serve(bus, AuthAddresses.ACCOUNT_CREATE, creating::create);
  }

  private static Future<Void> serve(EventBus bus, String address, Function<JsonObject, Future<JsonObject>> handler) {
    return bus.<JsonObject>localConsumer(address, (Message<JsonObject> message) -> {
      Future<JsonObject> reply;
      try {
        reply = handler.apply(message.body() == null ? new JsonObject() : message.body());
      } catch (RuntimeException e) {
        reply = Future.failedFuture(e);
      }
      reply.onComplete(result -> {
        if (result.succeeded()) {
          message.reply(result.result());
        } else {
          BusErrors.reply(message, result.cause());
        }
      });
    }).completion();
  }

  private Future<User> account(JsonObject body) {
    String localpart = userIds.localpartOf(body.getString("user_id"));
    if (localpart == null) {
      return Future.failedFuture(MatrixError.notFound("Unknown user"));
    }
    return users.byLocalpart(localpart).compose(user -> user.isPresent() ? Future.succeededFuture(user.get())
        : Future.failedFuture(MatrixError.notFound("Unknown user")));
  }

  private Future<User> activeAccount(JsonObject body) {
    return account(body).compose(user -> user.deactivated()
        ? Future.failedFuture(MatrixError.notFound("The account is deactivated")) : Future.succeededFuture(user));
  }

  private JsonObject info(User user) {
    return new AccountInfo(userIds.of(user.localpart()), user.admin(), user.createdAt().toEpochMilli(),
        user.deactivatedAt() == null ? null : user.deactivatedAt().toEpochMilli(), user.appserviceId(),
        user.displayName()).toJson();
  }

  private Future<JsonObject> list(JsonObject body) {
    int limit = Math.max(1, Math.min(MAX_PAGE, body.getInteger("limit", 100)));
    Boolean deactivated = body.getBoolean("deactivated");
    JsonArray ids = body.getJsonArray("user_ids");
    if (ids != null) {
      List<String> localparts = new ArrayList<>();
      ids.forEach(id -> {
        String localpart = userIds.localpartOf(String.valueOf(id));
        if (localpart != null) {
          localparts.add(localpart);
        }
      });
      return users.byLocalparts(localparts).map(found -> page(found.stream()
          .filter(u -> deactivated == null || u.deactivated() == deactivated).toList(), Integer.MAX_VALUE));
    }
    String from = body.getString("from") == null ? null : userIds.localpartOf(body.getString("from"));
    return users.page(from, limit + 1, deactivated).map(found -> page(found, limit));
  }

  private JsonObject page(List<User> found, int limit) {
    JsonArray accounts = new JsonArray();
    found.stream().limit(limit).forEach(u -> accounts.add(info(u)));
    JsonObject page = new JsonObject().put("accounts", accounts);
    if (found.size() > limit) {
      page.put("next_from", userIds.of(found.get(limit - 1).localpart()));
    }
    return page;
  }

  private Future<JsonObject> create(JsonObject body) {
    CreateAccount request = CreateAccount.fromJson(body);
    Future<User> created = request.passwordHash() != null
        ? creation.importHash(request.localpart(), request.passwordHash(), request.admin(), request.displayName())
        : creation.create(request.localpart(), request.password(), request.admin(), request.displayName());
    return created.map(this::info);
  }

  private Future<JsonObject> setDisplayName(JsonObject body) {
    MatrixError bad = AccountCreation.displayNameProblem(body.getString("display_name"));
    if (bad != null) {
      return Future.failedFuture(bad);
    }
    String displayName = AccountCreation.normalized(body.getString("display_name"));
    return activeAccount(body)
        .compose(user -> users.setDisplayName(user.localpart(), displayName)
            .onSuccess(changed -> bus.publish(AuthFacts.DisplayNameChanged.ADDRESS,
                new AuthFacts.DisplayNameChanged(userIds.of(user.localpart()), displayName).toJson()))
            .compose(changed -> users.byId(user.id())))
        .map(user -> info(user.orElseThrow()));
  }

  private Future<JsonObject> setAdmin(JsonObject body) {
    boolean admin = body.getBoolean("admin", false);
    return activeAccount(body)
        .compose(user -> users.setAdmin(user.localpart(), admin)
            .recover(failure -> Future.failedFuture(lastAdministrator(failure, user,
                "cannot lose administrator rights")))
            .compose(changed -> deactivation.announce(user, "admin flag changed"))
            .compose(done -> users.byId(user.id())))
        .map(user -> info(user.orElseThrow()));
  }

  private Future<JsonObject> deactivate(JsonObject body) {
    String by = body.getString("by", "admin");
    return activeAccount(body)
        .compose(user -> deactivation.deactivate(user, by)
            .recover(failure -> Future.failedFuture(lastAdministrator(failure, user, "cannot be deactivated")))
            .compose(done -> users.byId(user.id())))
        .map(user -> info(user.orElseThrow()));
  }

  /** The store's refusal to remove the last active administrator as the admin API answers it; other failures as they are. */
  private Throwable lastAdministrator(Throwable failure, User user, String what) {
    return failure instanceof UserStore.LastAdminException
        ? MatrixError.forbidden(userIds.of(user.localpart()) + " is the last active administrator and " + what
            + "; make another account an administrator first")
        : failure;
  }

  private Future<JsonObject> listSessions(JsonObject body) {
    return account(body).compose(user -> sessions.openSessions(user.id())).map(list -> {
      JsonArray array = new JsonArray();
      list.forEach(s -> array.add(new SessionInfo(s.sessionId().toString(), s.clientId(), s.clientName(), s.deviceId(),
          s.scope(), s.createdAt().toEpochMilli()).toJson()));
      return new JsonObject().put("sessions", array);
    });
  }

  private Future<JsonObject> endSession(JsonObject body) {
    UUID sessionId;
    try {
      sessionId = UUID.fromString(body.getString("session_id", ""));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(MatrixError.notFound("Unknown session"));
    }
    return account(body).compose(user -> sessions.openSessions(user.id()).compose(open -> {
      if (open.stream().noneMatch(s -> s.sessionId().equals(sessionId))) {
        return Future.failedFuture(MatrixError.notFound("No such open session for this user"));
      }
      return terminator.endSession(sessionId, "ended by an administrator", body.getString("by", "admin"))
          .map(done -> new JsonObject());
    }));
  }

  private Future<JsonObject> listDevices(JsonObject body) {
    return account(body).compose(user -> devices.list(user.id())).map(list -> {
      JsonArray array = new JsonArray();
      list.forEach(d -> array.add(new JsonObject()
          .put("device_id", d.deviceId())
          .put("display_name", d.displayName())
          .put("created_ts", d.createdAt().toEpochMilli())
          .put("created_by", d.createdBy())
          .put("last_seen_ts", d.lastSeenAt() == null ? null : d.lastSeenAt().toEpochMilli())
          .put("last_seen_ip", d.lastSeenIp())));
      return new JsonObject().put("devices", array);
    });
  }
}
