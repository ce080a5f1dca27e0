package org.gatehouse.auth.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gatehouse.auth.AuthTestServer;
import org.gatehouse.common.auth.AuthAddresses;
import org.gatehouse.common.bus.BusErrors;
import org.gatehouse.common.http.MatrixError;
import org.gatehouse.common.testing.OAuthTestClient;
import org.gatehouse.common.testing.TestBrowser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The last active administrator cannot be removed (review finding 15): not demoted, not deactivated, not by itself
 * on the account page, and not by two administrators removing each other at the same moment. Each test has its own
 * database, so it knows exactly who the administrators are.
 */
class LastAdministratorTest {
  static final String PASSWORD = "correct horse battery";
  AuthTestServer auth;

  @BeforeEach
  void start() throws Exception {
    auth = AuthTestServer.start();
  }

  @AfterEach
  void stop() {
    auth.close();
  }

  private Future<JsonObject> send(String address, JsonObject body) {
    return auth.server().vertx().eventBus().<JsonObject>request(address, body, new DeliveryOptions().setLocalOnly(true))
        .recover(failure -> Future.failedFuture(BusErrors.toMatrixError(failure)))
        .map(reply -> reply.body());
  }

  private JsonObject ask(String address, JsonObject body) throws Exception {
    return send(address, body).await(20, TimeUnit.SECONDS);
  }

  private MatrixError refusal(String address, JsonObject body) throws Exception {
    try {
      ask(address, body);
    } catch (MatrixError e) {
      return e;
    }
    throw new AssertionError(address + " was not refused");
  }

  private Future<JsonObject> demote(String userId) {
    return send(AuthAddresses.ACCOUNT_SET_ADMIN, new JsonObject().put("user_id", userId).put("admin", false));
  }

  private Future<JsonObject> deactivate(String userId, String by) {
    return send(AuthAddresses.ACCOUNT_DEACTIVATE, new JsonObject().put("user_id", userId).put("by", by));
  }

  private List<String> activeAdministrators() throws Exception {
    return ask(AuthAddresses.ACCOUNT_LIST, new JsonObject().put("limit", 1000).put("deactivated", false))
        .getJsonArray("accounts").stream().map(a -> (JsonObject) a).filter(a -> a.getBoolean("admin"))
        .map(a -> a.getString("user_id")).toList();
  }

  private static void assertLastAdministratorRefusal(MatrixError refused, String userId) {
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.errcode()).isEqualTo("M_FORBIDDEN");
    assertThat(refused.error()).startsWith(userId + " is the last active administrator")
        .contains("make another account an administrator first");
  }

  @Test
  void demotingOrDeactivatingTheLastAdministratorIsRefusedAndChangesNothing() throws Exception {
    String root = auth.createUser("root", PASSWORD, true);
    auth.createUser("plain", PASSWORD, false);
    OAuthTestClient.Tokens tokens = auth.oauth().signInAsAdministrator("root", PASSWORD);

    assertLastAdministratorRefusal(refusal(AuthAddresses.ACCOUNT_SET_ADMIN,
        new JsonObject().put("user_id", root).put("admin", false)), root);
    assertLastAdministratorRefusal(refusal(AuthAddresses.ACCOUNT_DEACTIVATE,
        new JsonObject().put("user_id", root).put("by", "@plain:test.local")), root);

    assertThat(activeAdministrators()).containsExactly(root);
    assertThat(auth.oauth().get("/_matrix/client/v3/account/whoami", tokens.accessToken()).statusCode())
        .as("no session ended").isEqualTo(200);
    assertThat(ask(AuthAddresses.RESOLVE_REQUESTER, new JsonObject().put("token", tokens.accessToken()))
        .getBoolean("admin")).isTrue();
    // A deactivated administrator does not count: it cannot act.
    String second = auth.createUser("second", PASSWORD, true);
    deactivate(second, root).await(20, TimeUnit.SECONDS);
    assertLastAdministratorRefusal(refusal(AuthAddresses.ACCOUNT_SET_ADMIN,
        new JsonObject().put("user_id", root).put("admin", false)), root);
    // With another active administrator, both are allowed again.
    String third = auth.createUser("third", PASSWORD, true);
    assertThat(demote(root).await(20, TimeUnit.SECONDS).getBoolean("admin")).isFalse();
    assertThat(activeAdministrators()).containsExactly(third);
  }

  @Test
  void twoAdministratorsRemovingEachOtherAtTheSameMomentLeaveOne() throws Exception {
    String alice = auth.createUser("alice", PASSWORD, true);
    String bob = auth.createUser("bob", PASSWORD, true);
    for (int round = 0; round < 10; round++) {
      for (String userId : List.of(alice, bob)) {
        ask(AuthAddresses.ACCOUNT_SET_ADMIN, new JsonObject().put("user_id", userId).put("admin", true));
      }
      assertThat(activeAdministrators()).containsExactlyInAnyOrder(alice, bob);
      // Each demotes the other at once.
      List<Future<JsonObject>> both = List.of(demote(bob), demote(alice));
      Future.join(both).otherwiseEmpty().await(20, TimeUnit.SECONDS);
      assertThat(both.stream().filter(Future::succeeded).count()).as("round " + round).isEqualTo(1);
      Future<JsonObject> refused = both.stream().filter(Future::failed).findFirst().orElseThrow();
      assertLastAdministratorRefusal((MatrixError) refused.cause(), refused == both.get(0) ? bob : alice);
      assertThat(activeAdministrators()).as("round " + round).hasSize(1);
    }
    // Each deactivates the other at once.
    for (String userId : List.of(alice, bob)) {
      ask(AuthAddresses.ACCOUNT_SET_ADMIN, new JsonObject().put("user_id", userId).put("admin", true));
    }
    List<Future<JsonObject>> both = List.of(deactivate(bob, alice), deactivate(alice, bob));
    Future.join(both).otherwiseEmpty().await(20, TimeUnit.SECONDS);
    assertThat(both.stream().filter(Future::succeeded).count()).isEqualTo(1);
    assertThat(activeAdministrators()).hasSize(1);
  }

  @Test
  void theLastAdministratorCannotDeactivateItselfOnTheAccountPage() throws Exception {
    String root = auth.createUser("root", PASSWORD, true);
    OAuthTestClient.Tokens tokens = auth.oauth().signInAsAdministrator("root", PASSWORD);
    TestBrowser browser = new TestBrowser(auth.client(), auth.baseUrl());
    String login = browser.get("/login").bodyAsString();
    browser.post("/login", MultiMap.caseInsensitiveMultiMap().add("csrf", csrf(login)).add("next", "/account")
        .add("username", "root").add("password", PASSWORD));
    String page = browser.get("/account?action=org.matrix.account_deactivate").bodyAsString();
    HttpResponse<Buffer> refused = browser.post("/account", MultiMap.caseInsensitiveMultiMap().add("csrf", csrf(page))
        .add("action", "org.matrix.account_deactivate").add("confirm_user_id", root));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.getHeader("Content-Type")).startsWith("text/html");
    assertThat(refused.bodyAsString()).contains(root + " is the last administrator of this server, so it cannot be"
        + " deactivated").contains("Make another account an administrator first.");
    assertThat(activeAdministrators()).containsExactly(root);
    assertThat(auth.oauth().get("/_matrix/client/v3/account/whoami", tokens.accessToken()).statusCode()).isEqualTo(200);
    assertThat(browser.get("/account").statusCode()).as("still signed in").isEqualTo(200);

    // Once another administrator exists, it can.
    auth.createUser("successor", PASSWORD, true);
    HttpResponse<Buffer> done = browser.post("/account", MultiMap.caseInsensitiveMultiMap().add("csrf", csrf(page))
        .add("action", "org.matrix.account_deactivate").add("confirm_user_id", root));
    assertThat(done.statusCode()).isEqualTo(200);
    assertThat(activeAdministrators()).containsExactly("@successor:test.local");
  }

  private static String csrf(String html) {
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"").matcher(html);
    return m.find() ? m.group(1) : null;
  }
}
