package org.gatehouse.auth.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.gatehouse.auth.AuthTestServer;
import org.gatehouse.common.auth.AuthFacts;
import org.gatehouse.common.testing.MutableClock;
import org.gatehouse.common.testing.OAuthTestClient;
import org.gatehouse.common.testing.TestBrowser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The account page (MSC4191) and cross-signing reset approval (MSC4312) as a user and the homeserver meet them. */
class AccountPageTest {
  static final String PASSWORD = "correct horse battery";
  static AuthTestServer auth;

  @BeforeAll
  static void start() throws Exception {
    auth = AuthTestServer.start(Map.of(), MutableClock.startingNow());
  }

  @AfterAll
  static void stop() {
    auth.close();
  }

  private static String newUser() throws Exception {
    String user = "acc-" + UUID.randomUUID().toString().substring(0, 8);
    auth.createUser(user, PASSWORD, false);
    return user;
  }

  private static String csrf(String html) {
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"").matcher(html);
    return m.find() ? m.group(1) : null;
  }

  private static TestBrowser signedIn(String user) throws Exception {
    TestBrowser browser = new TestBrowser(auth.client(), auth.baseUrl());
    String page = browser.get("/login").bodyAsString();
    HttpResponse<Buffer> response = browser.post("/login", MultiMap.caseInsensitiveMultiMap().add("csrf", csrf(page))
        .add("next", "/account").add("username", user).add("password", PASSWORD));
    assertThat(response.getHeader("Location")).isEqualTo("/account");
    return browser;
  }

  private static HttpResponse<Buffer> homeserver(String method, String path) throws Exception {
    return auth.client().request(io.vertx.core.http.HttpMethod.valueOf(method), path)
        .bearerTokenAuthentication(AuthTestServer.INTROSPECTION_SECRET).send().await(10, TimeUnit.SECONDS);
  }

  @Test
  void metadataNamesThePageAndEveryAction() throws Exception {
    JsonObject metadata = auth.client().get("/_matrix/client/v1/auth_metadata").send().await(10, TimeUnit.SECONDS)
        .bodyAsJsonObject();
    assertThat(metadata.getString("account_management_uri")).isEqualTo(auth.baseUrl() + "/account");
    assertThat(metadata.getJsonArray("account_management_actions_supported").getList()).contains("org.matrix.profile",
        "org.matrix.sessions_list", "org.matrix.session_view", "org.matrix.session_end", "org.matrix.devices_list",
        "org.matrix.device_view", "org.matrix.device_delete", "org.matrix.account_deactivate",
        "org.matrix.cross_signing_reset");
  }

  @Test
  void profileAndDeviceListingUnderBothSpellings() throws Exception {
    String user = newUser();
    OAuthTestClient.Tokens tokens = auth.oauth().signIn(auth.oauth().registerClient(), user, PASSWORD, "LISTEDDEVICE", "");
    TestBrowser browser = signedIn(user);
    assertThat(browser.get("/account").bodyAsString()).contains("@" + user + ":test.local");
    for (String action : List.of("org.matrix.sessions_list", "org.matrix.devices_list")) {
      assertThat(browser.get("/account?action=" + action).bodyAsString()).contains("LISTEDDEVICE");
    }
    for (String action : List.of("org.matrix.session_view", "org.matrix.device_view")) {
      assertThat(browser.get("/account?action=" + action + "&device_id=LISTEDDEVICE").bodyAsString())
          .contains("LISTEDDEVICE", "Test client");
    }
    assertThat(auth.oauth().get("/_matrix/client/v3/account/whoami", tokens.accessToken()).statusCode()).isEqualTo(200);
  }

  @Test
  void signingADeviceOutExplainsFirstAndActsOnlyOnAFreshPostWithCsrf() throws Exception {
    String user = newUser();
    OAuthTestClient.Tokens tokens = auth.oauth().signIn(auth.oauth().registerClient(), user, PASSWORD, "DOOMEDDEVICE", "");
    TestBrowser browser = signedIn(user);
    for (String action : List.of("org.matrix.session_end", "org.matrix.device_delete")) {
      HttpResponse<Buffer> confirmation = browser.get("/account?action=" + action + "&device_id=DOOMEDDEVICE");
      assertThat(confirmation.statusCode()).isEqualTo(200);
      assertThat(confirmation.bodyAsString()).contains("ends its sessions");
    }
    // A GET, however crafted, changed nothing.
    assertThat(auth.oauth().get("/_matrix/client/v3/account/whoami", tokens.accessToken()).statusCode()).isEqualTo(200);
    String page = browser.get("/account?action=org.matrix.session_end&device_id=DOOMEDDEVICE").bodyAsString();
    HttpResponse<Buffer> forged = browser.post("/account", MultiMap.caseInsensitiveMultiMap()
        .add("action", "org.matrix.session_end").add("device_id", "DOOMEDDEVICE").add("csrf", "forged"));
    assertThat(forged.statusCode()).isEqualTo(403);
    // A sign-in older than five minutes is not fresh enough: the password is asked for again.
    auth.clock().advance(Duration.ofMinutes(6));
    HttpResponse<Buffer> stale = browser.post("/account", MultiMap.caseInsensitiveMultiMap().add("csrf", csrf(page))
        .add("action", "org.matrix.session_end").add("device_id", "DOOMEDDEVICE"));
    assertThat(stale.statusCode()).isEqualTo(303);
    assertThat(stale.getHeader("Location")).startsWith("/login?next=");
    // The session survived (its access token merely expired meanwhile: refreshing works).
    HttpResponse<Buffer> refreshed = auth.oauth().refresh(tokens, tokens.refreshToken());
    assertThat(refreshed.statusCode()).isEqualTo(200);
    String accessToken = refreshed.bodyAsJsonObject().getString("access_token");

    TestBrowser fresh = signedIn(user);
    String freshPage = fresh.get("/account?action=org.matrix.session_end&device_id=DOOMEDDEVICE").bodyAsString();
    HttpResponse<Buffer> done = fresh.post("/account", MultiMap.caseInsensitiveMultiMap().add("csrf", csrf(freshPage))
        .add("action", "org.matrix.session_end").add("device_id", "DOOMEDDEVICE"));
    assertThat(done.statusCode()).isEqualTo(200);
    assertThat(auth.oauth().get("/_matrix/client/v3/account/whoami", accessToken).statusCode()).isEqualTo(401);
  }

  @Test
  void deactivationNeedsTheUserIdTypedAndSignsOutEverywhere() throws Exception {
    String user = newUser();
    OAuthTestClient.Tokens tokens = auth.oauth().signIn(user, PASSWORD);
    TestBrowser browser = signedIn(user);
    String page = browser.get("/account?action=org.matrix.account_deactivate").bodyAsString();
    assertThat(page).contains("cannot be undone");
    HttpResponse<Buffer> untyped = browser.post("/account", MultiMap.caseInsensitiveMultiMap().add("csrf", csrf(page))
        .add("action", "org.matrix.account_deactivate").add("confirm_user_id", "@someone:else"));
    assertThat(untyped.statusCode()).isEqualTo(400);
    assertThat(auth.oauth().get("/_matrix/client/v3/account/whoami", tokens.accessToken()).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> done = browser.post("/account", MultiMap.caseInsensitiveMultiMap().add("csrf", csrf(page))
        .add("action", "org.matrix.account_deactivate").add("confirm_user_id", "@" + user + ":test.local"));
    assertThat(done.statusCode()).isEqualTo(200);
    assertThat(auth.oauth().get("/_matrix/client/v3/account/whoami", tokens.accessToken()).statusCode()).isEqualTo(401);
    assertThat(browser.get("/account").statusCode()).isEqualTo(303);
  }

  @Test
  void aResetApprovalOpensOneSingleUseWindowForTheHomeserver() throws Exception {
    String user = newUser();
    String userId = "@" + user + ":test.local";
    List<JsonObject> approvals = new CopyOnWriteArrayList<>();
    auth.server().vertx().eventBus().<JsonObject>consumer(AuthFacts.CrossSigningResetApproved.ADDRESS, m -> approvals.add(m.body()))
        .completion().await(10, TimeUnit.SECONDS);
    assertThat(homeserver("GET", "/_gatehouse/homeserver/v1/cross_signing_reset/" + userId).bodyAsJsonObject()
        .getBoolean("approved")).isFalse();
    TestBrowser browser = signedIn(user);
    String page = browser.get("/account?action=org.matrix.cross_signing_reset").bodyAsString();
    assertThat(page).contains("reset your digital identity");
    assertThat(homeserver("GET", "/_gatehouse/homeserver/v1/cross_signing_reset/" + userId).bodyAsJsonObject()
        .getBoolean("approved")).as("showing the page approves nothing").isFalse();
    HttpResponse<Buffer> approved = browser.post("/account", MultiMap.caseInsensitiveMultiMap().add("csrf", csrf(page))
        .add("action", "org.matrix.cross_signing_reset"));
    assertThat(approved.statusCode()).isEqualTo(200);
    JsonObject status = homeserver("GET", "/_gatehouse/homeserver/v1/cross_signing_reset/" + userId).bodyAsJsonObject();
    assertThat(status.getBoolean("approved")).isTrue();
    assertThat(status.getLong("expires_in_ms")).isBetween(590_000L, 600_000L);
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> approvals.size() == 1);
    assertThat(approvals.get(0).getString("user_id")).isEqualTo(userId);

    assertThat(homeserver("POST", "/_gatehouse/homeserver/v1/cross_signing_reset/" + userId + "/consume").statusCode())
        .isEqualTo(200);
    HttpResponse<Buffer> again = homeserver("POST", "/_gatehouse/homeserver/v1/cross_signing_reset/" + userId + "/consume");
    assertThat(again.statusCode()).isEqualTo(404);
    assertThat(again.bodyAsJsonObject().getString("errcode")).isEqualTo("M_NOT_FOUND");
  }

  @Test
  void anApprovalExpiresAfterItsWindow() throws Exception {
    String user = newUser();
    String userId = "@" + user + ":test.local";
    TestBrowser browser = signedIn(user);
    String page = browser.get("/account?action=org.matrix.cross_signing_reset").bodyAsString();
    browser.post("/account", MultiMap.caseInsensitiveMultiMap().add("csrf", csrf(page))
        .add("action", "org.matrix.cross_signing_reset"));
    auth.clock().advance(Duration.ofMinutes(10).plusSeconds(1));
    assertThat(homeserver("GET", "/_gatehouse/homeserver/v1/cross_signing_reset/" + userId).bodyAsJsonObject()
        .getBoolean("approved")).isFalse();
    assertThat(homeserver("POST", "/_gatehouse/homeserver/v1/cross_signing_reset/" + userId + "/consume").statusCode())
        .isEqualTo(404);
  }

  @Test
  void onlyTheHomeserverMayAsk() throws Exception {
    String path = "/_gatehouse/homeserver/v1/cross_signing_reset/@x:test.local";
    assertThat(auth.client().get(path).send().await(10, TimeUnit.SECONDS).statusCode()).isEqualTo(401);
    assertThat(auth.client().get(path).bearerTokenAuthentication("wrong").send().await(10, TimeUnit.SECONDS).statusCode())
        .isEqualTo(401);
    HttpResponse<Buffer> basic = auth.client().get(path).putHeader("Authorization", "Basic " + Base64.getEncoder()
        .encodeToString((AuthTestServer.STATIC_CLIENT + ":" + AuthTestServer.STATIC_SECRET).getBytes()))
        .send().await(10, TimeUnit.SECONDS);
    assertThat(basic.statusCode()).isEqualTo(404);
    assertThat(homeserver("GET", "/_gatehouse/homeserver/v1/cross_signing_reset/@x:other.server").statusCode())
        .isEqualTo(400);
  }

  @Test
  void signedOutVisitorsAreSentToSignIn() throws Exception {
    HttpResponse<Buffer> response = new TestBrowser(auth.client(), auth.baseUrl())
        .get("/account?action=org.matrix.cross_signing_reset");
    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(response.getHeader("Location")).isEqualTo("/login?next=%2Faccount%3Faction%3Dorg.matrix.cross_signing_reset");
  }
}
