package org.gatehouse.admin.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.gatehouse.common.admin.AccountStatus;
import org.gatehouse.common.admin.AdminAddresses;
import org.gatehouse.common.auth.AccountInfo;
import org.gatehouse.common.auth.AuthAddresses;
import org.gatehouse.common.auth.Requester;
import org.gatehouse.common.auth.ResolveRequest;
import org.gatehouse.common.auth.SessionInfo;
import org.gatehouse.common.bus.BusErrors;
import org.gatehouse.common.bus.ClusterBroadcast;
import org.gatehouse.common.bus.ClusterMembers;
import org.gatehouse.common.http.MatrixError;
import org.gatehouse.common.testing.ModuleServer;

/**
 * The auth module as the admin module sees it over the event bus, following the contract of {@link AuthAddresses}:
 * requester resolution (applying the account statuses it learnt from the admin module's acknowledged fact, as auth
 * does), and the account, session and device services. It records every account-related request, so tests can
 * show that a refused caller caused no lookup. {@link FakeAuthContractTest} holds it to the account contract the
 * auth module itself passes ({@code AuthAccountsContract}).
 */
public final class FakeAuth {
  /** The node id {@link ModuleServer} gives its single member. */
  public static final String NODE = "test-node";
  public static final String SERVER = ModuleServer.SERVER_NAME;
  public static final String ADMIN_SCOPE = "urn:synapse:admin:*";
  public static final String API_SCOPE = "urn:matrix:client:api:*";

  private record Token(String userId, String deviceId, List<String> scopes) {
  }

  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  /** By user ID, in the order of localparts, as auth pages them. */
  private final TreeMap<String, AccountInfo> accounts = new TreeMap<>(Comparator.comparing(FakeAuth::localpartOf));
  private final Map<String, List<SessionInfo>> sessions = new ConcurrentHashMap<>();
  private final Map<String, JsonArray> devices = new ConcurrentHashMap<>();
  private final Map<String, AccountStatus> statuses = new ConcurrentHashMap<>();
  /** Addresses of the account-related requests received, in order. */
  public final List<String> accountCalls = new CopyOnWriteArrayList<>();
  /** Status facts in the order this node applied them. */
  public final List<AccountStatus> applied = new CopyOnWriteArrayList<>();
  /** How long this node takes to apply a status fact; negative: it never acknowledges. */
  public final AtomicLong applyDelayMs = new AtomicLong();
  /** Set to make the next appservice reload fail, as a bad registration file does. */
  public final AtomicReference<MatrixError> reloadFailure = new AtomicReference<>();
  /** Set to make the next ACCOUNT_LIST fail (e.g. to check how failures surface). */
  public final AtomicReference<MatrixError> listFailure = new AtomicReference<>();

  public static String userId(String localpart) {
    return "@" + localpart + ":" + SERVER;
  }

  private static String localpartOf(String userId) {
    int colon = userId.indexOf(':');
    return userId.startsWith("@") && colon > 0 ? userId.substring(1, colon) : userId;
  }

  public synchronized FakeAuth user(String localpart, boolean admin) {
    accounts.put(userId(localpart), new AccountInfo(userId(localpart), admin, 1_000, null, null));
    return this;
  }

  public synchronized FakeAuth deactivatedUser(String localpart) {
    accounts.put(userId(localpart), new AccountInfo(userId(localpart), false, 1_000, 2_000L, null));
    return this;
  }

  /** A token for {@code userId} (which need not have an account: requester resolution does not ask). */
  public FakeAuth token(String token, String userId, String... scopes) {
    tokens.put(token, new Token(userId, "DEVICE", List.of(scopes)));
    return this;
  }

  public FakeAuth session(String userId, SessionInfo session) {
    sessions.computeIfAbsent(userId, u -> new CopyOnWriteArrayList<>()).add(session);
    return this;
  }

  public FakeAuth device(String userId, JsonObject device) {
    devices.computeIfAbsent(userId, u -> new JsonArray()).add(device);
    return this;
  }

  /** Every account's user ID, in order. */
  public synchronized List<String> allUserIds() {
    return List.copyOf(accounts.keySet());
  }

  public synchronized AccountInfo account(String userId) {
    return accounts.get(userId);
  }

  public AccountStatus status(String userId) {
    return statuses.getOrDefault(userId, new AccountStatus(userId, false, false, 0));
  }

  public List<SessionInfo> sessions(String userId) {
    return sessions.getOrDefault(userId, List.of());
  }

  /** Registers the consumers on {@code vertx}; call before the module starts. */
  public void register(Vertx vertx) {
    EventBus bus = vertx.eventBus();
    List<Future<?>> registered = new ArrayList<>();
    registered.add(bus.<JsonObject>localConsumer(AuthAddresses.RESOLVE_REQUESTER, m -> answer(m, this::resolve)).completion());
    serve(bus, registered, AuthAddresses.ACCOUNT_GET, this::get);
    serve(bus, registered, AuthAddresses.ACCOUNT_LIST, this::list);
    serve(bus, registered, AuthAddresses.ACCOUNT_CREATE, this::create);
    serve(bus, registered, AuthAddresses.ACCOUNT_SET_ADMIN, this::setAdmin);
    serve(bus, registered, AuthAddresses.ACCOUNT_SET_DISPLAY_NAME, this::setDisplayName);
    serve(bus, registered, AuthAddresses.ACCOUNT_DEACTIVATE, this::deactivate);
    serve(bus, registered, AuthAddresses.SESSIONS_LIST, this::listSessions);
    serve(bus, registered, AuthAddresses.SESSION_END, this::endSession);
    serve(bus, registered, AuthAddresses.DEVICES_LIST, this::listDevices);
    serve(bus, registered, AuthAddresses.APPSERVICES_RELOAD, this::reloadAppservices);
    ClusterBroadcast broadcast = new ClusterBroadcast(vertx, ClusterMembers.single(NODE), Duration.ofSeconds(5));
    registered.add(broadcast.consume(AdminAddresses.ACCOUNT_STATUS_CHANGED, body -> apply(vertx, body)).completion());
    Future.all(registered).await();
  }

  private Future<?> apply(Vertx vertx, JsonObject body) {
    long delay = applyDelayMs.get();
    Promise<Void> done = Promise.promise();
    Runnable applyNow = () -> {
      AccountStatus status = AccountStatus.fromJson(body);
      statuses.merge(status.userId(), status, (old, incoming) -> incoming.version() >= old.version() ? incoming : old);
      applied.add(status);
      done.complete();
    };
    if (delay < 0) {
      return done.future(); // never acknowledged
    }
    if (delay == 0) {
      applyNow.run();
    } else {
      vertx.setTimer(delay, t -> applyNow.run());
    }
    return done.future();
  }

  private void serve(EventBus bus, List<Future<?>> registered, String address, Function<JsonObject, Object> service) {
    registered.add(bus.<JsonObject>localConsumer(address, m -> {
      accountCalls.add(address);
      answer(m, service);
    }).completion());
  }

  private static void answer(Message<JsonObject> message, Function<JsonObject, Object> service) {
    try {
      Object reply = service.apply(message.body());
      message.reply(reply instanceof AccountInfo info ? info.toJson() : reply);
    } catch (MatrixError e) {
      BusErrors.reply(message, e);
    }
  }

  private JsonObject resolve(JsonObject body) {
    Token token = tokens.get(ResolveRequest.fromJson(body).token());
    if (token == null) {
      throw MatrixError.unknownToken("Unknown access token", false);
    }
    AccountInfo account = account(token.userId());
    // As auth decides it: the admin flag and the admin scope in the token.
    boolean admin = token.scopes().contains(ADMIN_SCOPE) && account != null && account.admin();
    AccountStatus status = status(token.userId());
    return new Requester(token.userId(), token.deviceId(), token.scopes(), admin, null, "session-" + token.userId(),
        status.locked(), status.suspended()).toJson();
  }

  private synchronized AccountInfo get(JsonObject body) {
    String userId = body.getString("user_id");
    AccountInfo account = userId == null || !userId.endsWith(":" + SERVER) ? null : accounts.get(userId);
    if (account == null) {
      throw MatrixError.notFound("Unknown user");
    }
    return account;
  }

  /** As auth refuses changes to a deactivated account: it is not found. */
  private AccountInfo active(JsonObject body) {
    AccountInfo account = get(body);
    if (account.deactivated()) {
      throw MatrixError.notFound("The account is deactivated");
    }
    return account;
  }

  /** A display name as auth stores it (trimmed, null when blank), or auth's refusal. */
  private static String displayName(String name) {
    if (name == null || name.isBlank()) {
      return null;
    }
    String stripped = name.strip();
    if (stripped.codePointCount(0, stripped.length()) > 256 || stripped.codePoints().anyMatch(Character::isISOControl)) {
      throw MatrixError.invalidParam("Bad display name");
    }
    return stripped;
  }

  private synchronized JsonObject list(JsonObject body) {
    MatrixError failure = listFailure.getAndSet(null);
    if (failure != null) {
      throw failure;
    }
    String from = body.getString("from");
    int limit = body.getInteger("limit", 100);
    Boolean deactivated = body.getBoolean("deactivated");
    JsonArray only = body.getJsonArray("user_ids");
    JsonArray page = new JsonArray();
    String last = null;
    boolean more = false;
    for (AccountInfo account : (from == null ? accounts : accounts.tailMap(from, false)).values()) {
      if (deactivated != null && account.deactivated() != deactivated
          || only != null && !only.contains(account.userId())) {
        continue;
      }
      if (page.size() == limit) {
        more = true;
        break;
      }
      page.add(account.toJson());
      last = account.userId();
    }
    JsonObject reply = new JsonObject().put("accounts", page);
    return more ? reply.put("next_from", last) : reply;
  }

  private synchronized AccountInfo create(JsonObject body) {
    String localpart = body.getString("localpart");
    if (!localpart.matches("[a-z0-9._=/+-]+")) {
      throw new MatrixError(400, "M_INVALID_USERNAME", "Bad user name");
    }
    if (accounts.containsKey(userId(localpart))) {
      throw new MatrixError(400, "M_USER_IN_USE", "User exists");
    }
    String password = body.getString("password");
    if (password != null && password.length() < 8) {
      throw new MatrixError(400, "M_WEAK_PASSWORD", "Too short");
    }
    AccountInfo account = new AccountInfo(userId(localpart), body.getBoolean("admin", false), 5_000, null, null,
        displayName(body.getString("display_name")));
    accounts.put(account.userId(), account);
    return account;
  }

  /** As auth refuses it (atomically there): removing the last active administrator. */
  private void keepAnAdministrator(AccountInfo account) {
    boolean lastOne = account.admin() && !account.deactivated()
        && accounts.values().stream().filter(a -> a.admin() && !a.deactivated()).count() <= 1;
    if (lastOne) {
      throw MatrixError.forbidden(account.userId() + " is the last active administrator");
    }
  }

  private synchronized AccountInfo setAdmin(JsonObject body) {
    AccountInfo account = active(body);
    if (!body.getBoolean("admin")) {
      keepAnAdministrator(account);
    }
    AccountInfo updated = new AccountInfo(account.userId(), body.getBoolean("admin"), account.createdTs(),
        account.deactivatedTs(), account.appserviceId(), account.displayName());
    accounts.put(updated.userId(), updated);
    return updated;
  }

  private synchronized AccountInfo setDisplayName(JsonObject body) {
    String name = displayName(body.getString("display_name"));
    AccountInfo account = active(body);
    AccountInfo updated = new AccountInfo(account.userId(), account.admin(), account.createdTs(),
        account.deactivatedTs(), account.appserviceId(), name);
    accounts.put(updated.userId(), updated);
    return updated;
  }

  private synchronized AccountInfo deactivate(JsonObject body) {
    AccountInfo account = active(body);
    keepAnAdministrator(account);
    AccountInfo updated = new AccountInfo(account.userId(), account.admin(), account.createdTs(), 9_000L,
        account.appserviceId(), account.displayName());
    accounts.put(updated.userId(), updated);
    sessions.remove(updated.userId());
    devices.remove(updated.userId());
    return updated;
  }

  private JsonObject listSessions(JsonObject body) {
    get(body);
    JsonArray array = new JsonArray();
    sessions(body.getString("user_id")).forEach(s -> array.add(s.toJson()));
    return new JsonObject().put("sessions", array);
  }

  /** Ends the session, and its device when no other session is on it, as auth does. */
  private JsonObject endSession(JsonObject body) {
    String userId = body.getString("user_id");
    List<SessionInfo> open = sessions.getOrDefault(userId, new ArrayList<>());
    SessionInfo ended = open.stream().filter(s -> s.sessionId().equals(body.getString("session_id"))).findFirst()
        .orElseThrow(() -> MatrixError.notFound("No such session"));
    open.remove(ended);
    if (open.stream().noneMatch(s -> s.deviceId().equals(ended.deviceId()))) {
      JsonArray held = devices.get(userId);
      if (held != null) {
        held.getList().removeIf(d -> d instanceof JsonObject device
            && ended.deviceId().equals(device.getString("device_id")));
      }
    }
    return new JsonObject();
  }

  private JsonObject reloadAppservices(JsonObject body) {
    MatrixError failure = reloadFailure.getAndSet(null);
    if (failure != null) {
      throw failure;
    }
    return new JsonObject().put("appservices", new JsonArray().add("irc-bridge")).put("digest", "d1g35t")
        .put("by", body.getString("by"));
  }

  private JsonObject listDevices(JsonObject body) {
    get(body);
    return new JsonObject().put("devices", devices.getOrDefault(body.getString("user_id"), new JsonArray()).copy());
  }
}
