package org.gatehouse.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.gatehouse.common.auth.AccountInfo;
import org.gatehouse.common.auth.AuthAddresses;
import org.gatehouse.common.auth.CreateAccount;
import org.gatehouse.common.bus.BusErrors;
import org.gatehouse.common.http.MatrixError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The account services of {@link AuthAddresses} as the admin module relies on them, over the event bus: what each
 * request gets back and how it is refused. It runs once against the auth module itself ({@code AccountServiceTest}
 * in auth-verticle) and once against the stand-in the admin module's tests use ({@code FakeAuthContractTest} in
 * admin-verticle), so the stand-in cannot promise the admin tests what auth does not do.
 *
 * <p>A subclass starts the service before the tests (on a node named {@link ModuleServer#SERVER_NAME}), gives
 * its bus, and says how an account gets a session. Every test uses names of its own, so they share one service.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AuthAccountsContract {
  protected static final String PASSWORD = "correct horse battery";

  /** The bus the account services answer on. */
  protected abstract EventBus bus();

  /** Gives the account {@code localpart} (whose password is {@code password}) one open session on a new device. */
  protected abstract void openSession(String localpart, String password) throws Exception;

  protected static String userId(String localpart) {
    return "@" + localpart + ":" + ModuleServer.SERVER_NAME;
  }

  protected static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Asks {@code address}; a refusal is thrown as the Matrix error the service answered. */
  protected JsonObject ask(String address, JsonObject body) throws Exception {
    try {
      return bus().<JsonObject>request(address, body, new DeliveryOptions().setLocalOnly(true))
          .await(20, TimeUnit.SECONDS).body();
    } catch (Exception e) {
      throw BusErrors.toMatrixError(e);
    }
  }

  protected AccountInfo create(String localpart, boolean admin) throws Exception {
    return AccountInfo.fromJson(ask(AuthAddresses.ACCOUNT_CREATE,
        CreateAccount.withPassword(localpart, PASSWORD, admin, null).toJson()));
  }

  protected static void assertRefused(ThrowingCall call, int status, String errcode) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(MatrixError.class, e -> {
      assertThat(e.status()).as(e.getMessage()).isEqualTo(status);
      assertThat(e.errcode()).as(e.getMessage()).isEqualTo(errcode);
    });
  }

  /** A call that may throw. */
  protected interface ThrowingCall {
    void run() throws Exception;
  }

  private static JsonObject user(String userId) {
    return new JsonObject().put("user_id", userId);
  }

  private static List<String> userIds(JsonObject page) {
    return page.getJsonArray("accounts").stream().map(a -> ((JsonObject) a).getString("user_id")).toList();
  }

  @Test
  void anAccountIsReadBackAsItWasCreated() throws Exception {
    String localpart = unique("created");
    JsonObject created = ask(AuthAddresses.ACCOUNT_CREATE,
        CreateAccount.withPassword(localpart, PASSWORD, true, "Ada Lovelace").toJson());
    AccountInfo account = AccountInfo.fromJson(created);
    assertThat(account.userId()).isEqualTo(userId(localpart));
    assertThat(account.admin()).isTrue();
    assertThat(account.deactivated()).isFalse();
    assertThat(account.createdTs()).isPositive();
    assertThat(account.displayName()).isEqualTo("Ada Lovelace");
    assertThat(ask(AuthAddresses.ACCOUNT_GET, user(account.userId()))).isEqualTo(created);
  }

  @Test
  void creationRefusesATakenNameABadNameAndAShortPassword() throws Exception {
    String localpart = unique("taken");
    create(localpart, false);
    assertRefused(() -> create(localpart, false), 400, "M_USER_IN_USE");
    assertRefused(() -> create("Bad Name", false), 400, "M_INVALID_USERNAME");
    assertRefused(() -> ask(AuthAddresses.ACCOUNT_CREATE,
        CreateAccount.withPassword(unique("weak"), "short", false, null).toJson()), 400, "M_WEAK_PASSWORD");
  }

  @Test
  void anUnknownAccountIsNotFoundWhateverIsAsked() {
    String nobody = userId(unique("nobody"));
    for (String address : List.of(AuthAddresses.ACCOUNT_GET, AuthAddresses.ACCOUNT_DEACTIVATE,
        AuthAddresses.SESSIONS_LIST, AuthAddresses.DEVICES_LIST)) {
      assertRefused(() -> ask(address, user(nobody)), 404, "M_NOT_FOUND");
    }
    assertRefused(() -> ask(AuthAddresses.ACCOUNT_SET_ADMIN, user(nobody).put("admin", true)), 404, "M_NOT_FOUND");
    assertRefused(() -> ask(AuthAddresses.ACCOUNT_SET_DISPLAY_NAME, user(nobody).put("display_name", "X")), 404,
        "M_NOT_FOUND");
    assertRefused(() -> ask(AuthAddresses.ACCOUNT_GET, user("@someone:other.example")), 404, "M_NOT_FOUND");
  }

  @Test
  void accountsArePagedInTheOrderOfTheirNamesAndCanBeChosenAndFiltered() throws Exception {
    String prefix = "page" + UUID.randomUUID().toString().substring(0, 4);
    for (int i = 0; i < 5; i++) {
      create(prefix + "-" + i, false);
    }
    JsonObject first = ask(AuthAddresses.ACCOUNT_LIST, new JsonObject().put("from", userId(prefix)).put("limit", 2));
    assertThat(userIds(first)).containsExactly(userId(prefix + "-0"), userId(prefix + "-1"));
    assertThat(first.getString("next_from")).isEqualTo(userId(prefix + "-1"));
    JsonObject second = ask(AuthAddresses.ACCOUNT_LIST, new JsonObject().put("from", first.getString("next_from"))
        .put("limit", 2));
    assertThat(userIds(second)).containsExactly(userId(prefix + "-2"), userId(prefix + "-3"));

    ask(AuthAddresses.ACCOUNT_DEACTIVATE, user(userId(prefix + "-4")).put("by", "contract"));
    JsonArray chosen = new JsonArray().add(userId(prefix + "-3")).add(userId(prefix + "-4")).add(userId("absent"));
    assertThat(userIds(ask(AuthAddresses.ACCOUNT_LIST, new JsonObject().put("user_ids", chosen))))
        .containsExactlyInAnyOrder(userId(prefix + "-3"), userId(prefix + "-4"));
    assertThat(userIds(ask(AuthAddresses.ACCOUNT_LIST, new JsonObject().put("user_ids", chosen)
        .put("deactivated", true)))).containsExactly(userId(prefix + "-4"));
    assertThat(userIds(ask(AuthAddresses.ACCOUNT_LIST, new JsonObject().put("user_ids", chosen)
        .put("deactivated", false)))).containsExactly(userId(prefix + "-3"));
  }

  @Test
  void theAdminFlagIsGivenAndTakenBack() throws Exception {
    // Another administrator, so that the one demoted here is never the last.
    create(unique("keeper"), true);
    String id = create(unique("promoted"), false).userId();
    assertThat(ask(AuthAddresses.ACCOUNT_SET_ADMIN, user(id).put("admin", true)).getBoolean("admin")).isTrue();
    assertThat(AccountInfo.fromJson(ask(AuthAddresses.ACCOUNT_GET, user(id))).admin()).isTrue();
    assertThat(ask(AuthAddresses.ACCOUNT_SET_ADMIN, user(id).put("admin", false)).getBoolean("admin")).isFalse();
    assertThat(AccountInfo.fromJson(ask(AuthAddresses.ACCOUNT_GET, user(id))).admin()).isFalse();
  }

  @Test
  void theDisplayNameIsSetRemovedAndChecked() throws Exception {
    String id = create(unique("named"), false).userId();
    JsonObject named = ask(AuthAddresses.ACCOUNT_SET_DISPLAY_NAME, user(id).put("display_name", "Grace Hopper"));
    assertThat(AccountInfo.fromJson(named).displayName()).isEqualTo("Grace Hopper");
    assertThat(AccountInfo.fromJson(ask(AuthAddresses.ACCOUNT_GET, user(id))).displayName()).isEqualTo("Grace Hopper");
    JsonObject removed = ask(AuthAddresses.ACCOUNT_SET_DISPLAY_NAME, user(id).putNull("display_name"));
    assertThat(AccountInfo.fromJson(removed).displayName()).isNull();
    assertRefused(() -> ask(AuthAddresses.ACCOUNT_SET_DISPLAY_NAME, user(id).put("display_name", "x".repeat(257))),
        400, "M_INVALID_PARAM");
  }

  @Test
  void aSessionIsListedWithItsDeviceAndEndedWithIt() throws Exception {
    String localpart = unique("session");
    String id = create(localpart, false).userId();
    openSession(localpart, PASSWORD);
    JsonArray sessions = ask(AuthAddresses.SESSIONS_LIST, user(id)).getJsonArray("sessions");
    assertThat(sessions).hasSize(1);
    JsonObject session = sessions.getJsonObject(0);
    assertThat(session.getString("session_id")).isNotBlank();
    assertThat(session.getString("client_id")).isNotBlank();
    JsonArray devices = ask(AuthAddresses.DEVICES_LIST, user(id)).getJsonArray("devices");
    assertThat(devices).hasSize(1);
    assertThat(devices.getJsonObject(0).getString("device_id")).isEqualTo(session.getString("device_id"));

    JsonObject end = user(id).put("session_id", session.getString("session_id")).put("by", "contract");
    assertThat(ask(AuthAddresses.SESSION_END, end)).isEqualTo(new JsonObject());
    assertThat(ask(AuthAddresses.SESSIONS_LIST, user(id)).getJsonArray("sessions")).isEmpty();
    assertThat(ask(AuthAddresses.DEVICES_LIST, user(id)).getJsonArray("devices")).as("the session's device").isEmpty();
    assertRefused(() -> ask(AuthAddresses.SESSION_END, end), 404, "M_NOT_FOUND");
  }

  @Test
  void aDeactivatedAccountKeepsItsRecordLosesItsSessionsAndChangesNoMore() throws Exception {
    String localpart = unique("leaving");
    String id = create(localpart, false).userId();
    openSession(localpart, PASSWORD);
    AccountInfo deactivated = AccountInfo.fromJson(ask(AuthAddresses.ACCOUNT_DEACTIVATE, user(id).put("by", "contract")));
    assertThat(deactivated.deactivated()).isTrue();
    assertThat(deactivated.deactivatedTs()).isNotNull();
    assertThat(AccountInfo.fromJson(ask(AuthAddresses.ACCOUNT_GET, user(id))).deactivated()).isTrue();
    assertThat(ask(AuthAddresses.SESSIONS_LIST, user(id)).getJsonArray("sessions")).isEmpty();
    assertThat(ask(AuthAddresses.DEVICES_LIST, user(id)).getJsonArray("devices")).isEmpty();

    assertRefused(() -> ask(AuthAddresses.ACCOUNT_DEACTIVATE, user(id)), 404, "M_NOT_FOUND");
    assertRefused(() -> ask(AuthAddresses.ACCOUNT_SET_ADMIN, user(id).put("admin", true)), 404, "M_NOT_FOUND");
    assertRefused(() -> ask(AuthAddresses.ACCOUNT_SET_DISPLAY_NAME, user(id).put("display_name", "Back")), 404,
        "M_NOT_FOUND");
  }
}
