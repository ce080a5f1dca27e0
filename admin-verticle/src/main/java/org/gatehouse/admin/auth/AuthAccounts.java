package org.gatehouse.admin.auth;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.gatehouse.common.auth.AccountInfo;
import org.gatehouse.common.auth.AuthAddresses;
import org.gatehouse.common.auth.SessionInfo;
import org.gatehouse.common.bus.BusErrors;

/**
 * The auth module's accounts, sessions, devices and appservice registrations, reached over the event bus (the admin module never reads
 * auth's tables). Every failure comes back as the Matrix error auth answered, or 503 when it did not answer.
 */
public final class AuthAccounts {
  /** Deactivation and ending sessions wait for every node themselves (5 s), so this is longer. */
  private static final DeliveryOptions OPTIONS = new DeliveryOptions().setLocalOnly(true).setSendTimeout(10_000);

  /**
   * One page of accounts from auth.
   *
   * @param nextFrom the user ID to continue after, or null when there are no more
   */
  public record AccountPage(List<AccountInfo> accounts, String nextFrom) {
  }

  private final EventBus bus;

  public AuthAccounts(EventBus bus) {
    this.bus = bus;
  }

  /** The account, deactivated ones included; 404 {@code M_NOT_FOUND} when there is none. */
  public Future<AccountInfo> get(String userId) {
    return request(AuthAddresses.ACCOUNT_GET, new JsonObject().put("user_id", userId)).map(AccountInfo::fromJson);
  }

  /**
   * Accounts ordered by user ID after {@code from} (null: from the start).
   *
   * @param deactivated only deactivated ({@code true}) or only active ({@code false}) accounts; null for all
   * @param userIds only these accounts, or null
   */
  public Future<AccountPage> list(String from, int limit, Boolean deactivated, List<String> userIds) {
    JsonObject body = new JsonObject().put("limit", limit);
    if (from != null) {
      body.put("from", from);
    }
    if (deactivated != null) {
      body.put("deactivated", deactivated);
    }
    if (userIds != null) {
      body.put("user_ids", new JsonArray(List.copyOf(userIds)));
    }
    return request(AuthAddresses.ACCOUNT_LIST, body).map(reply -> {
      List<AccountInfo> accounts = new ArrayList<>();
      reply.getJsonArray("accounts", new JsonArray()).forEach(a -> accounts.add(AccountInfo.fromJson((JsonObject) a)));
      return new AccountPage(accounts, reply.getString("next_from"));
    });
  }

  /** Creates an account: {@code {"localpart", "password"? | "password_hash"?, "admin"}}. */
  public Future<AccountInfo> create(JsonObject request) {
    return request(AuthAddresses.ACCOUNT_CREATE, request).map(AccountInfo::fromJson);
  }

  /** Sets ({@code displayName}) or removes (null) an account's display name. */
  public Future<AccountInfo> setDisplayName(String userId, String displayName) {
    return request(AuthAddresses.ACCOUNT_SET_DISPLAY_NAME, new JsonObject().put("user_id", userId)
        .put("display_name", displayName)).map(AccountInfo::fromJson);
  }

  public Future<AccountInfo> setAdmin(String userId, boolean admin) {
    return request(AuthAddresses.ACCOUNT_SET_ADMIN, new JsonObject().put("user_id", userId).put("admin", admin))
        .map(AccountInfo::fromJson);
  }

  public Future<AccountInfo> deactivate(String userId, String by) {
    return request(AuthAddresses.ACCOUNT_DEACTIVATE, new JsonObject().put("user_id", userId).put("by", by))
        .map(AccountInfo::fromJson);
  }

  public Future<List<SessionInfo>> sessions(String userId) {
    return request(AuthAddresses.SESSIONS_LIST, new JsonObject().put("user_id", userId)).map(reply -> {
      List<SessionInfo> sessions = new ArrayList<>();
      reply.getJsonArray("sessions", new JsonArray()).forEach(s -> sessions.add(SessionInfo.fromJson((JsonObject) s)));
      return sessions;
    });
  }

  public Future<Void> endSession(String userId, String sessionId, String by) {
    return request(AuthAddresses.SESSION_END, new JsonObject().put("user_id", userId).put("session_id", sessionId)
        .put("by", by)).mapEmpty();
  }

  /** The account's devices as auth describes them ({@code device_id}, {@code display_name}, ...). */
  public Future<JsonArray> devices(String userId) {
    return request(AuthAddresses.DEVICES_LIST, new JsonObject().put("user_id", userId))
        .map(reply -> reply.getJsonArray("devices", new JsonArray()));
  }

  /**
   * Re-reads the appservice registration files on this node and puts them in force on every node:
   * {@code {"appservices": [ids], "digest"}}; a file problem is 400 {@code M_INVALID_PARAM} and changes nothing.
   */
  public Future<JsonObject> reloadAppservices(String by) {
    return request(AuthAddresses.APPSERVICES_RELOAD, new JsonObject().put("by", by));
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return bus.<JsonObject>request(address, body, OPTIONS)
        .recover(failure -> Future.failedFuture(BusErrors.toMatrixError(failure)))
        .map(reply -> reply.body() == null ? new JsonObject() : reply.body());
  }
}
