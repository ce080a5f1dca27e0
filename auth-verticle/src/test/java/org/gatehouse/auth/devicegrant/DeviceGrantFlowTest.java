package org.gatehouse.auth.devicegrant;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gatehouse.auth.AuthTestServer;
import org.gatehouse.common.testing.MutableClock;
import org.gatehouse.common.testing.OAuthTestClient;
import org.gatehouse.common.testing.TestBrowser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The device authorization grant as a new device and a person approving it on another device see it. */
class DeviceGrantFlowTest {
  static final String PASSWORD = "correct horse battery";
  static AuthTestServer auth;
  static String client;

  @BeforeAll
  static void start() throws Exception {
    // One held poll per node at most, so that the test of the cap needs only two grants (the tests run one at a time).
    auth = AuthTestServer.start(Map.of("device_grant", Map.of("interval", "2s", "max_waiters", 1)),
        MutableClock.startingNow());
    client = auth.client().post("/oauth2/registration").sendJsonObject(new JsonObject()
            .put("client_name", "New device app").put("client_uri", "https://qr.example.org/")
            .put("token_endpoint_auth_method", "none")
            .put("grant_types", new JsonArray().add("urn:ietf:params:oauth:grant-type:device_code").add("refresh_token")))
        .await(10, TimeUnit.SECONDS).bodyAsJsonObject().getString("client_id");
  }

  @AfterAll
  static void stop() {
    auth.close();
  }

  private static JsonObject authorize(String deviceId) throws Exception {
    HttpResponse<Buffer> response = auth.client().post("/oauth2/device").sendForm(MultiMap.caseInsensitiveMultiMap()
        .add("client_id", client).add("scope", "urn:matrix:client:api:* urn:matrix:client:device:" + deviceId))
        .await(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
    return response.bodyAsJsonObject();
  }

  private static HttpResponse<Buffer> poll(String deviceCode) throws Exception {
    return auth.client().post("/oauth2/token").sendForm(MultiMap.caseInsensitiveMultiMap()
        .add("grant_type", "urn:ietf:params:oauth:grant-type:device_code").add("device_code", deviceCode)
        .add("client_id", client)).await(30, TimeUnit.SECONDS);
  }

  private static String error(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
    return response.bodyAsJsonObject().getString("error");
  }

  private static String newUser() throws Exception {
    String user = "dg-" + UUID.randomUUID().toString().substring(0, 8);
    auth.createUser(user, PASSWORD, false);
    return user;
  }

  private static String hidden(String html, String name, String value) {
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"").matcher(html);
    return m.find() ? m.group(1) : null;
  }

  /** Signs {@code user} in on a browser and opens the confirmation page for {@code code}. */
  private static TestBrowser approverAt(String user, String verificationUriComplete) throws Exception {
    TestBrowser browser = new TestBrowser(auth.client(), auth.baseUrl());
    HttpResponse<Buffer> link = browser.get(verificationUriComplete);
    assertThat(link.statusCode()).isEqualTo(303);
    assertThat(link.getHeader("Location")).isEqualTo("/link/confirm");
    HttpResponse<Buffer> confirm = browser.get("/link/confirm");
    assertThat(confirm.getHeader("Location")).startsWith("/login?next=");
    String login = browser.get(confirm.getHeader("Location")).bodyAsString();
    HttpResponse<Buffer> signedIn = browser.post("/login", MultiMap.caseInsensitiveMultiMap()
        .add("csrf", hidden(login, "csrf", null)).add("next", "/link/confirm").add("username", user)
        .add("password", PASSWORD));
    assertThat(signedIn.getHeader("Location")).isEqualTo("/link/confirm");
    return browser;
  }

  private static HttpResponse<Buffer> decide(TestBrowser browser, String action) throws Exception {
    String page = browser.get("/link/confirm").bodyAsString();
    return browser.post("/link/confirm", MultiMap.caseInsensitiveMultiMap().add("csrf", hidden(page, "csrf", null))
        .add("action", action));
  }

  @Test
  void metadataAdvertisesTheGrantAndTheResponseHasEveryField() throws Exception {
    JsonObject metadata = auth.client().get("/.well-known/openid-configuration").send().await(10, TimeUnit.SECONDS)
        .bodyAsJsonObject();
    assertThat(metadata.getString("device_authorization_endpoint")).isEqualTo(auth.baseUrl() + "/oauth2/device");
    assertThat(metadata.getJsonArray("grant_types_supported").getList())
        .contains("urn:ietf:params:oauth:grant-type:device_code");
    JsonObject started = authorize("FIELDSDEV01");
    assertThat(started.getString("device_code")).hasSizeGreaterThanOrEqualTo(32);
    assertThat(started.getString("user_code")).matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");
    assertThat(started.getString("verification_uri")).isEqualTo(auth.baseUrl() + "/link");
    assertThat(started.getString("verification_uri_complete"))
        .isEqualTo(auth.baseUrl() + "/link?code=" + started.getString("user_code"));
    assertThat(started.getLong("expires_in")).isEqualTo(600L);
    assertThat(started.getInteger("interval")).isEqualTo(2);
  }

  @Test
  void clientsWithoutTheGrantAndBadScopesAreRefused() throws Exception {
    String codeOnly = auth.oauth().registerClient("no device grant");
    HttpResponse<Buffer> unauthorized = auth.client().post("/oauth2/device").sendForm(MultiMap.caseInsensitiveMultiMap()
        .add("client_id", codeOnly).add("scope", "urn:matrix:client:api:* urn:matrix:client:device:AAAAAAAAAA"))
        .await(10, TimeUnit.SECONDS);
    assertThat(error(unauthorized)).isEqualTo("unauthorized_client");
    HttpResponse<Buffer> badScope = auth.client().post("/oauth2/device").sendForm(MultiMap.caseInsensitiveMultiMap()
        .add("client_id", client).add("scope", "urn:matrix:client:api:*")).await(10, TimeUnit.SECONDS);
    assertThat(error(badScope)).isEqualTo("invalid_scope");
  }

  @Test
  void pendingThenTooFastThenApprovedWithTheDeviceVisibleAtOnce() throws Exception {
    String user = newUser();
    OAuthTestClient.Tokens existing = auth.oauth().signIn(user, PASSWORD);
    JsonObject started = authorize("NEWDEVICE01");
    assertThat(error(poll(started.getString("device_code")))).isEqualTo("authorization_pending");
    assertThat(error(poll(started.getString("device_code")))).isEqualTo("slow_down");
    assertThat(existingDevice(existing, "NEWDEVICE01")).isEqualTo(404);

    TestBrowser approver = approverAt(user, started.getString("verification_uri_complete"));
    String confirmation = approver.get("/link/confirm").bodyAsString();
    assertThat(confirmation).contains("New device app", "NEWDEVICE01", "127.0.0.1", started.getString("user_code"));
    HttpResponse<Buffer> approved = decide(approver, "approve");
    assertThat(approved.statusCode()).isEqualTo(200);
    assertThat(approved.bodyAsString()).contains("Device approved");
    // The approving client sees the device before the new device has collected its tokens.
    assertThat(existingDevice(existing, "NEWDEVICE01")).isEqualTo(200);

    Thread.sleep(2100);
    HttpResponse<Buffer> tokens = poll(started.getString("device_code"));
    assertThat(tokens.statusCode()).as(tokens.bodyAsString()).isEqualTo(200);
    String accessToken = tokens.bodyAsJsonObject().getString("access_token");
    assertThat(tokens.bodyAsJsonObject().getString("refresh_token")).startsWith("mar_");
    JsonObject whoami = auth.oauth().get("/_matrix/client/v3/account/whoami", accessToken).bodyAsJsonObject();
    assertThat(whoami.getString("user_id")).isEqualTo("@" + user + ":test.local");
    assertThat(whoami.getString("device_id")).isEqualTo("NEWDEVICE01");
    Thread.sleep(2100);
    assertThat(error(poll(started.getString("device_code")))).isEqualTo("invalid_grant");
  }

  @Test
  void aWaitingPollIsAnsweredAsSoonAsTheUserApproves() throws Exception {
    String user = newUser();
    JsonObject started = authorize("WAKEDEVICE1");
    TestBrowser approver = approverAt(user, started.getString("verification_uri_complete"));
    long begun = System.nanoTime();
    Future<HttpResponse<Buffer>> waiting = auth.client().post("/oauth2/token").sendForm(MultiMap.caseInsensitiveMultiMap()
        .add("grant_type", "urn:ietf:params:oauth:grant-type:device_code")
        .add("device_code", started.getString("device_code")).add("client_id", client));
    Thread.sleep(300);
    assertThat(waiting.isComplete()).as("the poll is held open while pending").isFalse();
    decide(approver, "approve");
    HttpResponse<Buffer> tokens = waiting.await(10, TimeUnit.SECONDS);
    long tookMs = (System.nanoTime() - begun) / 1_000_000;
    assertThat(tokens.statusCode()).isEqualTo(200);
    assertThat(tookMs).as("answered on the approval, not at the end of the 2 s interval").isLessThan(1900);
  }

  @Test
  void denyingAnswersAccessDenied() throws Exception {
    String user = newUser();
    JsonObject started = authorize("DENIEDDEV01");
    decide(approverAt(user, started.getString("verification_uri_complete")), "deny");
    assertThat(error(poll(started.getString("device_code")))).isEqualTo("access_denied");
  }

  @Test
  void notYouSignsTheBrowserOutAndTheNextPersonDecidesTheSameRequest() throws Exception {
    String first = newUser();
    String second = newUser();
    JsonObject started = authorize("NOTYOUDEV01");
    TestBrowser browser = approverAt(first, started.getString("verification_uri_complete"));
    String page = browser.get("/link/confirm").bodyAsString();
    assertThat(page).contains("Signed in as <strong>@" + first + ":test.local</strong>", "Not you? Sign out");
    HttpResponse<Buffer> signedOut = browser.post("/logout", MultiMap.caseInsensitiveMultiMap()
        .add("csrf", hidden(page, "csrf", null)).add("next", "/link/confirm"));
    assertThat(signedOut.getHeader("Location")).isEqualTo("/login?next=%2Flink%2Fconfirm");
    String login = browser.get(signedOut.getHeader("Location")).bodyAsString();
    browser.post("/login", MultiMap.caseInsensitiveMultiMap().add("csrf", hidden(login, "csrf", null))
        .add("next", "/link/confirm").add("username", second).add("password", PASSWORD));
    assertThat(browser.get("/link/confirm").bodyAsString())
        .contains("Signed in as <strong>@" + second + ":test.local</strong>", "NOTYOUDEV01");
    decide(browser, "approve");
    assertThat(poll(started.getString("device_code")).statusCode()).isEqualTo(200);
  }

  @Test
  void unapprovedCodesExpire() throws Exception {
    JsonObject started = authorize("EXPIRINGDEV");
    auth.clock().advance(Duration.ofMinutes(10).plusSeconds(1));
    assertThat(error(poll(started.getString("device_code")))).isEqualTo("expired_token");
    TestBrowser browser = new TestBrowser(auth.client(), auth.baseUrl());
    assertThat(browser.get(started.getString("verification_uri_complete")).statusCode()).isEqualTo(400);
  }

  @Test
  void approvedCodeCollectedAfterItsExpiryIsExpiredToken() throws Exception {
    String user = newUser();
    JsonObject started = authorize("LATECOLLECT");
    decide(approverAt(user, started.getString("verification_uri_complete")), "approve");
    auth.clock().advance(Duration.ofMinutes(10).plusSeconds(1));
    assertThat(error(poll(started.getString("device_code")))).isEqualTo("expired_token");
    assertThat(sessionsOf(user)).isZero();
  }

  @Test
  void deviceCodeApprovedByAnAccountDeactivatedSinceIsInvalidGrant() throws Exception {
    String user = newUser();
    JsonObject started = authorize("DEACTIVATED");
    decide(approverAt(user, started.getString("verification_uri_complete")), "approve");
    auth.server().vertx().eventBus().request(org.gatehouse.common.auth.AuthAddresses.ACCOUNT_DEACTIVATE,
        new JsonObject().put("user_id", "@" + user + ":test.local").put("by", "test")).await(10, TimeUnit.SECONDS);
    assertThat(error(poll(started.getString("device_code")))).isEqualTo("invalid_grant");
    assertThat(sessionsOf(user)).isZero();
  }

  @Test
  void deviceCodeApprovedByAnAccountLockedSinceIsAccessDenied() throws Exception {
    String user = newUser();
    JsonObject started = authorize("LOCKEDSINCE");
    decide(approverAt(user, started.getString("verification_uri_complete")), "approve");
    auth.setStatus("@" + user + ":test.local", false, true);
    try {
      assertThat(error(poll(started.getString("device_code")))).isEqualTo("access_denied");
      assertThat(sessionsOf(user)).isZero();
    } finally {
      auth.setStatus("@" + user + ":test.local", false, false);
    }
  }

  @Test
  void concurrentPollsOfOneGrantHoldOneAndSlowDownTheOthersAtOnce() throws Exception {
    JsonObject started = authorize("CONCURRENT1");
    long begun = System.nanoTime();
    java.util.List<Future<HttpResponse<Buffer>>> polls = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      polls.add(auth.client().post("/oauth2/token").sendForm(MultiMap.caseInsensitiveMultiMap()
          .add("grant_type", "urn:ietf:params:oauth:grant-type:device_code")
          .add("device_code", started.getString("device_code")).add("client_id", client)));
    }
    int slowDown = 0;
    int pending = 0;
    for (Future<HttpResponse<Buffer>> f : polls) {
      HttpResponse<Buffer> response = f.await(10, TimeUnit.SECONDS);
      long tookMs = (System.nanoTime() - begun) / 1_000_000;
      String error = error(response);
      if (error.equals("slow_down")) {
        slowDown++;
      } else {
        assertThat(error).isEqualTo("authorization_pending");
        assertThat(tookMs).as("the one poll held for the interval").isGreaterThanOrEqualTo(1900);
        pending++;
      }
    }
    assertThat(pending).isEqualTo(1);
    assertThat(slowDown).isEqualTo(5);
  }

  @Test
  void pollsPastTheNodesCapAreAnsweredAtOnce() throws Exception {
    JsonObject held = authorize("CAPHELD0001");
    JsonObject other = authorize("CAPOTHER001");
    Future<HttpResponse<Buffer>> waiting = auth.client().post("/oauth2/token").sendForm(MultiMap.caseInsensitiveMultiMap()
        .add("grant_type", "urn:ietf:params:oauth:grant-type:device_code")
        .add("device_code", held.getString("device_code")).add("client_id", client));
    Thread.sleep(300);
    assertThat(waiting.isComplete()).as("the first poll is held").isFalse();
    long begun = System.nanoTime();
    assertThat(error(poll(other.getString("device_code")))).isEqualTo("authorization_pending");
    assertThat((System.nanoTime() - begun) / 1_000_000).as("answered at once, not held").isLessThan(1000);
    assertThat(error(waiting.await(10, TimeUnit.SECONDS))).isEqualTo("authorization_pending");
    // The quick answer counted as a poll: the interval still holds for that grant.
    assertThat(error(poll(other.getString("device_code")))).isEqualTo("slow_down");
  }

  private static long sessionsOf(String user) throws Exception {
    return auth.server().pool().preparedQuery("SELECT count(*) FROM auth.sessions s JOIN auth.users u ON u.id = s.user_id"
            + " WHERE u.localpart = $1").execute(io.vertx.sqlclient.Tuple.of(user)).await(10, TimeUnit.SECONDS)
        .iterator().next().getLong(0);
  }

  @Test
  void wrongCodesAreLimitedPerAddress() throws Exception {
    TestBrowser browser = new TestBrowser(auth.client(), auth.baseUrl());
    int limited = 0;
    for (int i = 0; i < 12; i++) {
      HttpResponse<Buffer> response = browser.get("/link?code=BBBB-BBB" + "BCDFGHJKLMNPQRST".charAt(i));
      if (response.statusCode() == 429) {
        limited++;
        assertThat(response.getHeader("Retry-After")).isNotNull();
      } else {
        assertThat(response.statusCode()).isEqualTo(400);
      }
    }
    assertThat(limited).isEqualTo(2);
    // Every test browses from this address: let the limit refill for the others.
    auth.clock().advance(Duration.ofHours(1));
  }

  @Test
  void aLockedAccountCannotApprove() throws Exception {
    String user = newUser();
    JsonObject started = authorize("LOCKEDDEV01");
    TestBrowser approver = approverAt(user, started.getString("verification_uri_complete"));
    // The confirmation form was loaded before the lock; posting it after the lock must not work.
    String csrf = hidden(approver.get("/link/confirm").bodyAsString(), "csrf", null);
    auth.setStatus("@" + user + ":test.local", false, true);
    HttpResponse<Buffer> page = approver.get("/link/confirm");
    assertThat(page.statusCode()).isEqualTo(403);
    assertThat(page.bodyAsString()).contains("Account locked");
    assertThat(approver.post("/link/confirm", MultiMap.caseInsensitiveMultiMap().add("csrf", csrf)
        .add("action", "approve")).statusCode()).isEqualTo(403);
    assertThat(error(poll(started.getString("device_code")))).isIn("authorization_pending", "slow_down");
  }

  private static int existingDevice(OAuthTestClient.Tokens existing, String deviceId) throws Exception {
    return auth.oauth().get("/_matrix/client/v3/devices/" + deviceId, existing.accessToken()).statusCode();
  }
}
