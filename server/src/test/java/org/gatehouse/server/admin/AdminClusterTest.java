package org.gatehouse.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.gatehouse.common.admin.AdminAddresses;
import org.gatehouse.common.testing.OAuthTestClient;
import org.gatehouse.common.testing.TestBrowser;
import org.gatehouse.server.testing.TestNodes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two full nodes, one database, one cluster: a suspension or lock decided through one node is in force on the
 * other before the decision is answered, with real tokens, the real auth module and introspection.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminClusterTest extends TwoNodes {
  static final String LOCK = "/_matrix/client/v1/admin/lock/";
  static final String SUSPEND = "/_matrix/client/unstable/uk.timedout.msc4323/admin/suspend/";
  static final String WHOAMI = "/_matrix/client/v3/account/whoami";

  String boss;

  @BeforeAll
  void start() throws Exception {
    boss = administrator(0, "boss");
  }

  private String newUser() {
    return createUser("u-" + UUID.randomUUID().toString().substring(0, 8), false);
  }

  private static String localpart(String userId) {
    return userId.substring(1, userId.indexOf(':'));
  }

  private HttpResponse<Buffer> get(int node, String path, String token) throws Exception {
    return send(node, HttpMethod.GET, path, token, null);
  }

  private JsonObject put(int node, String path, String token, JsonObject body) throws Exception {
    HttpResponse<Buffer> response = send(node, HttpMethod.PUT, path, token, body);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private JsonObject introspect(int node, String token) throws Exception {
    HttpResponse<Buffer> response = http.postAbs(nodes.url(node) + "/oauth2/introspect")
        .bearerTokenAuthentication(TestNodes.INTROSPECTION_SECRET)
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("token", token)).await(30, TimeUnit.SECONDS);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String errcode) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.bodyAsJsonObject().getString("errcode")).isEqualTo(errcode);
  }

  @Test
  @Order(1)
  void aLockThroughOneNodeRefusesTheVeryNextRequestThroughTheOther() throws Exception {
    for (int round = 0; round < 3; round++) {
      int decide = round % 2;
      int other = 1 - decide;
      String user = newUser();
      OAuthTestClient.Tokens tokens = client(other).signIn(localpart(user), PASSWORD);
      // The other node has resolved (and cached) the token, and introspects it as active.
      assertThat(get(other, WHOAMI, tokens.accessToken()).statusCode()).isEqualTo(200);
      assertThat(introspect(other, tokens.accessToken()).getBoolean("active")).isTrue();

      JsonObject locked = put(decide, LOCK + enc(user), boss, new JsonObject().put("locked", true)
          .put("org.gatehouse.reason", "round " + round));
      assertThat(locked.getBoolean("locked")).isTrue();

      HttpResponse<Buffer> refused = get(other, WHOAMI, tokens.accessToken());
      assertError(refused, 401, "M_USER_LOCKED");
      assertThat(refused.bodyAsJsonObject().getBoolean("soft_logout")).isTrue();
      assertError(get(other, "/_matrix/client/v3/capabilities", tokens.accessToken()), 401, "M_USER_LOCKED");
      assertThat(introspect(other, tokens.accessToken())).isEqualTo(new JsonObject().put("active", false));
      assertThat(introspect(other, tokens.refreshToken())).isEqualTo(new JsonObject().put("active", false));
      assertThatThrownBy(() -> client(other).signIn(localpart(user), PASSWORD))
          .hasMessageContaining("403").hasMessageContaining("locked");

      // Unlocking restores the same session: the tokens were kept.
      assertThat(put(other, LOCK + enc(user), boss, new JsonObject().put("locked", false)).getBoolean("locked")).isFalse();
      assertThat(get(decide, WHOAMI, tokens.accessToken()).statusCode()).isEqualTo(200);
      assertThat(introspect(decide, tokens.accessToken()).getBoolean("active")).isTrue();
      assertThat(client(decide).refresh(tokens, tokens.refreshToken()).statusCode()).isEqualTo(200);
    }
  }

  @Test
  @Order(2)
  void aSuspensionMakesTheAccountReadOnlyOnTheOtherNode() throws Exception {
    String user = newUser();
    OAuthTestClient.Tokens first = client(0).signIn(localpart(user), PASSWORD);
    String token = first.accessToken();
    put(1, SUSPEND + enc(user), boss, new JsonObject().put("suspended", true));

    // Reading goes on.
    assertThat(get(0, WHOAMI, token).statusCode()).isEqualTo(200);
    assertThat(get(0, "/_matrix/client/v3/devices", token).statusCode()).isEqualTo(200);
    assertThat(get(0, "/_matrix/client/v3/capabilities", token).bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("capabilities", new JsonObject()));
    // Changing anything does not, even where the caller would otherwise be refused for another reason.
    assertError(send(0, HttpMethod.PUT, LOCK + enc(createUser("x-" + UUID.randomUUID().toString().substring(0, 6),
        false)), token, new JsonObject().put("locked", true)), 403, "M_USER_SUSPENDED");
    assertError(send(0, HttpMethod.POST, "/_gatehouse/admin/v1/users", token, new JsonObject().put("localpart", "zz")),
        403, "M_USER_SUSPENDED");
    // The homeserver learns it through introspection.
    JsonObject introspected = introspect(0, token);
    assertThat(introspected.getBoolean("active")).isTrue();
    assertThat(introspected.getBoolean("org.gatehouse.suspended")).isTrue();
    assertError(send(0, HttpMethod.PUT, "/_matrix/client/v3/devices/" + first.deviceId(), token,
        new JsonObject().put("display_name", "renamed")), 403, "M_USER_SUSPENDED");
    // Signing in still works (MSC3823), and the new session is suspended too; deleting one's own device works.
    OAuthTestClient.Tokens second = client(1).signIn(localpart(user), PASSWORD);
    assertThat(introspect(1, second.accessToken()).getBoolean("org.gatehouse.suspended")).isTrue();
    HttpResponse<Buffer> deleted = send(1, HttpMethod.DELETE, "/_matrix/client/v3/devices/" + second.deviceId(),
        second.accessToken(), null);
    assertThat(deleted.statusCode()).as(deleted.bodyAsString()).isEqualTo(200);
    assertError(get(0, WHOAMI, second.accessToken()), 401, "M_UNKNOWN_TOKEN");

    put(0, SUSPEND + enc(user), boss, new JsonObject().put("suspended", false));
    assertThat(introspect(1, token).getBoolean("org.gatehouse.suspended")).isFalse();
    // Without the suspension the same requests go through, or are refused for what they are.
    assertError(send(1, HttpMethod.PUT, LOCK + enc(user), token, new JsonObject().put("locked", true)), 403,
        "M_FORBIDDEN");
    assertThat(send(1, HttpMethod.PUT, "/_matrix/client/v3/devices/" + first.deviceId(), token,
        new JsonObject().put("display_name", "renamed")).statusCode()).isEqualTo(200);
  }

  @Test
  @Order(3)
  void aLockedAccountCanStillRevokeItsTokens() throws Exception {
    String user = newUser();
    OAuthTestClient.Tokens tokens = client(1).signIn(localpart(user), PASSWORD);
    put(0, LOCK + enc(user), boss, new JsonObject().put("locked", true));
    HttpResponse<Buffer> revoked = http.postAbs(nodes.url(1) + "/oauth2/revoke")
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("token", tokens.accessToken()).add("client_id",
            tokens.clientId())).await(30, TimeUnit.SECONDS);
    assertThat(revoked.statusCode()).isEqualTo(200);
    put(1, LOCK + enc(user), boss, new JsonObject().put("locked", false));
    // Unlocking does not bring back what was revoked.
    assertError(get(0, WHOAMI, tokens.accessToken()), 401, "M_UNKNOWN_TOKEN");
    assertThat(introspect(0, tokens.refreshToken()).getBoolean("active")).isFalse();
  }

  @Test
  @Order(3)
  void aLockedAccountCanStillDeleteTheDeviceItIsUsing() throws Exception {
    String user = newUser();
    OAuthTestClient.Tokens tokens = client(0).signIn(localpart(user), PASSWORD);
    put(1, LOCK + enc(user), boss, new JsonObject().put("locked", true));
    assertError(send(0, HttpMethod.PUT, "/_matrix/client/v3/devices/" + tokens.deviceId(), tokens.accessToken(),
        new JsonObject().put("display_name", "x")), 401, "M_USER_LOCKED");
    HttpResponse<Buffer> deleted = send(0, HttpMethod.DELETE, "/_matrix/client/v3/devices/" + tokens.deviceId(),
        tokens.accessToken(), null);
    assertThat(deleted.statusCode()).as(deleted.bodyAsString()).isEqualTo(200);
    put(0, LOCK + enc(user), boss, new JsonObject().put("locked", false));
    assertError(get(1, WHOAMI, tokens.accessToken()), 401, "M_UNKNOWN_TOKEN");
  }

  @Test
  @Order(3)
  void theDeviceLinkPageRefusesAnAccountLockedThroughTheOtherNode() throws Exception {
    String user = newUser();
    String clientId = http.postAbs(nodes.url(0) + "/oauth2/registration").sendJsonObject(new JsonObject()
            .put("client_name", "QR device").put("client_uri", "https://qr.example.org/")
            .put("token_endpoint_auth_method", "none")
            .put("grant_types", new io.vertx.core.json.JsonArray().add("urn:ietf:params:oauth:grant-type:device_code")))
        .await(30, TimeUnit.SECONDS).bodyAsJsonObject().getString("client_id");
    JsonObject grant = http.postAbs(nodes.url(0) + "/oauth2/device").sendForm(MultiMap.caseInsensitiveMultiMap()
            .add("client_id", clientId).add("scope", "urn:matrix:client:api:* urn:matrix:client:device:QRLOCKED01"))
        .await(30, TimeUnit.SECONDS).bodyAsJsonObject();
    // The user opens the link on node 1 and signs in there...
    WebClient pages = WebClient.create(vertx, new io.vertx.ext.web.client.WebClientOptions().setFollowRedirects(false));
    TestBrowser browser = new TestBrowser(pages, nodes.url(1));
    assertThat(browser.get("/link?code=" + grant.getString("user_code")).getHeader("Location")).isEqualTo("/link/confirm");
    String login = browser.get(browser.get("/link/confirm").getHeader("Location")).bodyAsString();
    HttpResponse<Buffer> signedIn = browser.post("/login", MultiMap.caseInsensitiveMultiMap()
        .add("csrf", hidden(login)).add("next", "/link/confirm").add("username", localpart(user))
        .add("password", PASSWORD));
    assertThat(signedIn.getHeader("Location")).isEqualTo("/link/confirm");
    String csrf = hidden(browser.get("/link/confirm").bodyAsString());
    // ...an administrator locks the account through node 0...
    put(0, LOCK + enc(user), boss, new JsonObject().put("locked", true));
    // ...and node 1 no longer lets it approve.
    HttpResponse<Buffer> page = browser.get("/link/confirm");
    assertThat(page.statusCode()).isEqualTo(403);
    assertThat(page.bodyAsString()).contains("Account locked");
    assertThat(browser.post("/link/confirm", MultiMap.caseInsensitiveMultiMap().add("csrf", csrf)
        .add("action", "approve")).statusCode()).isEqualTo(403);
  }

  private static String hidden(String html) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"").matcher(html);
    return m.find() ? m.group(1) : null;
  }

  @Test
  @Order(4)
  void followersHearTheFactOnThePlainAddress() throws Exception {
    List<JsonObject> heard = new CopyOnWriteArrayList<>();
    nodes.node(1).vertx().eventBus().<JsonObject>consumer(AdminAddresses.ACCOUNT_STATUS_CHANGED, m -> heard.add(m.body()))
        .completion().await(10, TimeUnit.SECONDS);
    String user = newUser();
    put(0, SUSPEND + enc(user), boss, new JsonObject().put("suspended", true));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> heard.stream()
        .anyMatch(b -> b.getString("user_id").equals(user)));
    JsonObject fact = heard.stream().filter(b -> b.getString("user_id").equals(user)).findFirst().orElseThrow();
    assertThat(fact.getBoolean("suspended")).isTrue();
    assertThat(fact.getBoolean("locked")).isFalse();
    assertThat(fact.getLong("version")).isPositive();
  }

  @Test
  @Order(5)
  void discoveryOnARealNode() throws Exception {
    JsonObject versions = get(1, "/_matrix/client/versions", null).bodyAsJsonObject();
    assertThat(versions.getJsonObject("unstable_features").getBoolean("uk.timedout.msc4323")).isTrue();
    JsonObject forBoss = get(1, "/_matrix/client/v3/capabilities", boss).bodyAsJsonObject().getJsonObject("capabilities");
    assertThat(forBoss.getJsonObject("m.account_moderation"))
        .isEqualTo(new JsonObject().put("suspend", true).put("lock", true));
    assertThat(forBoss.getJsonObject("uk.timedout.msc4323"))
        .isEqualTo(new JsonObject().put("suspend", true).put("lock", true));
  }

  @Test
  @Order(6)
  void theErrorMatrixWithTheRealAuthModule() throws Exception {
    String other = createUser("admin-" + UUID.randomUUID().toString().substring(0, 6), true);
    String gone = newUser();
    send(0, HttpMethod.POST, "/_gatehouse/admin/v1/users/" + enc(gone) + "/deactivate", boss, new JsonObject());
    String user = newUser();
    String userToken = client(0).signIn(localpart(user), PASSWORD).accessToken();
    assertError(get(1, LOCK + enc("@nobody:test.local"), boss), 404, "M_NOT_FOUND");
    assertError(get(1, LOCK + enc("@Not.Gatehouse-Grammar:test.local"), boss), 404, "M_NOT_FOUND");
    assertError(get(1, LOCK + enc(gone), boss), 404, "M_NOT_FOUND");
    assertError(get(1, LOCK + enc(other), boss), 403, "M_FORBIDDEN");
    assertError(get(1, LOCK + enc("@boss:test.local"), boss), 403, "M_FORBIDDEN");
    assertError(get(1, LOCK + enc("@boss:elsewhere"), boss), 400, "M_INVALID_PARAM");
    HttpResponse<Buffer> existing = get(1, LOCK + enc(other), userToken);
    HttpResponse<Buffer> missing = get(1, LOCK + enc("@nobody:test.local"), userToken);
    assertError(existing, 403, "M_FORBIDDEN");
    assertThat(existing.body()).isEqualTo(missing.body());
  }

  @Test
  @Order(7)
  void theAdminApiWithTheRealAuthModule() throws Exception {
    String api = "/_gatehouse/admin/v1";
    HttpResponse<Buffer> created = send(1, HttpMethod.POST, api + "/users", boss,
        new JsonObject().put("localpart", "api-made").put("password", PASSWORD));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String user = created.bodyAsJsonObject().getString("user_id");
    assertThat(user).isEqualTo("@api-made:test.local");

    OAuthTestClient.Tokens tokens = client(0).signIn("api-made", PASSWORD);
    JsonObject sessions = get(1, api + "/users/" + enc(user) + "/sessions", boss).bodyAsJsonObject();
    assertThat(sessions.getJsonArray("sessions")).hasSize(1);
    JsonObject session = sessions.getJsonArray("sessions").getJsonObject(0);
    assertThat(session.getString("device_id")).isEqualTo(tokens.deviceId());
    JsonObject devices = get(0, api + "/users/" + enc(user) + "/devices", boss).bodyAsJsonObject();
    assertThat(devices.getJsonArray("devices").getJsonObject(0).getString("device_id")).isEqualTo(tokens.deviceId());

    HttpResponse<Buffer> ended = send(0, HttpMethod.DELETE, api + "/users/" + enc(user) + "/sessions/"
        + session.getString("session_id"), boss, null);
    assertThat(ended.statusCode()).as(ended.bodyAsString()).isEqualTo(200);
    assertError(get(1, WHOAMI, tokens.accessToken()), 401, "M_UNKNOWN_TOKEN");

    put(1, LOCK + enc(user), boss, new JsonObject().put("locked", true));
    JsonObject locked = get(0, api + "/users?status=locked", boss).bodyAsJsonObject();
    assertThat(locked.getJsonArray("users").stream().map(u -> ((JsonObject) u).getString("user_id"))).contains(user);
    // Paging one by one through the real auth module visits every account once.
    List<String> seen = new java.util.ArrayList<>();
    String from = null;
    do {
      JsonObject page = get(1, api + "/users?limit=1" + (from == null ? "" : "&from=" + enc(from)), boss)
          .bodyAsJsonObject();
      page.getJsonArray("users").forEach(u -> seen.add(((JsonObject) u).getString("user_id")));
      from = page.getString("next_token");
    } while (from != null);
    assertThat(seen).doesNotHaveDuplicates().contains("@boss:test.local", user);

    HttpResponse<Buffer> deactivated = send(1, HttpMethod.POST, api + "/users/" + enc(user) + "/deactivate", boss,
        new JsonObject().put("reason", "test"));
    assertThat(deactivated.bodyAsJsonObject().getBoolean("deactivated")).isTrue();
    assertError(get(0, LOCK + enc(user), boss), 404, "M_NOT_FOUND");
    JsonObject audit = get(0, api + "/audit?target=" + enc(user), boss).bodyAsJsonObject();
    assertThat(audit.getJsonArray("entries").stream().map(e -> ((JsonObject) e).getString("action")))
        .containsExactly("deactivate", "lock", "end_session", "create_user");

    HttpResponse<Buffer> reloaded = send(0, HttpMethod.POST, api + "/appservices/reload", boss, null);
    assertThat(reloaded.statusCode()).as(reloaded.bodyAsString()).isEqualTo(200);
    assertThat(reloaded.bodyAsJsonObject().getJsonArray("appservices")).isEmpty();
  }

  @Test
  @Order(8)
  void aRestartedNodeStillEnforcesTheLock() throws Exception {
    String user = newUser();
    String token = client(1).signIn(localpart(user), PASSWORD).accessToken();
    put(0, LOCK + enc(user), boss, new JsonObject().put("locked", true));
    nodes.restart(1);
    assertError(get(1, WHOAMI, token), 401, "M_USER_LOCKED");
    assertThat(introspect(1, token).getBoolean("active")).isFalse();
  }

  @Test
  @Order(9)
  void aThirdPartyAppAnAdministratorSignsIntoGetsNoAdminPowers() throws Exception {
    String admin = createUser("trusting-" + UUID.randomUUID().toString().substring(0, 6), true);
    String victim = newUser();
    String victimToken = client(0).signIn(localpart(victim), PASSWORD).accessToken();
    // The app asked for the Matrix API (and a device) but not for urn:synapse:admin:*.
    String app = client(0).signIn(localpart(admin), PASSWORD).accessToken();
    String api = "/_gatehouse/admin/v1";
    assertThat(get(1, WHOAMI, app).statusCode()).as("a plain user's powers").isEqualTo(200);
    assertError(get(1, api + "/users", app), 403, "M_FORBIDDEN");
    String planted = "planted-" + UUID.randomUUID().toString().substring(0, 6);
    assertError(send(0, HttpMethod.POST, api + "/users", app, new JsonObject().put("localpart", planted)
        .put("password", PASSWORD).put("admin", true)), 403, "M_FORBIDDEN");
    assertError(send(1, HttpMethod.PUT, api + "/users/" + enc(victim) + "/admin", app,
        new JsonObject().put("admin", true)), 403, "M_FORBIDDEN");
    assertError(send(0, HttpMethod.POST, api + "/users/" + enc(victim) + "/deactivate", app, new JsonObject()),
        403, "M_FORBIDDEN");
    assertError(send(1, HttpMethod.PUT, LOCK + enc(victim), app, new JsonObject().put("locked", true)), 403,
        "M_FORBIDDEN");
    assertError(send(0, HttpMethod.PUT, SUSPEND + enc(victim), app, new JsonObject().put("suspended", true)), 403,
        "M_FORBIDDEN");
    assertThat(get(1, "/_matrix/client/v3/capabilities", app).bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("capabilities", new JsonObject()));
    // Nothing happened: the victim works as before, nobody was planted.
    assertThat(get(0, WHOAMI, victimToken).statusCode()).isEqualTo(200);
    assertError(get(0, api + "/users/" + enc("@" + planted + ":test.local"), boss), 404, "M_NOT_FOUND");
    assertThat(get(0, api + "/users/" + enc(victim), boss).bodyAsJsonObject().getBoolean("admin")).isFalse();
    // The homeserver is told the same: no admin scope in what introspection answers.
    assertThat(introspect(1, app).getString("scope")).doesNotContain("urn:synapse:admin:*");
  }

  @Test
  @Order(10)
  void anAppGrantedOnlyOpenidReachesUserinfoAndNothingElse() throws Exception {
    String admin = createUser("openid-" + UUID.randomUUID().toString().substring(0, 6), true);
    OAuthTestClient oauth = client(0);
    String token = oauth.signInWithScope(oauth.registerClient("Sign in with Matrix"), localpart(admin), PASSWORD, null,
        "openid").accessToken();
    for (HttpResponse<Buffer> refused : List.of(get(1, WHOAMI, token), get(0, "/_matrix/client/v3/devices", token),
        get(1, "/_matrix/client/v3/capabilities", token), get(0, LOCK + enc(admin), token),
        get(1, "/_gatehouse/admin/v1/users", token))) {
      assertError(refused, 401, "M_UNKNOWN_TOKEN");
      assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("Token doesn't grant access to the Matrix C-S API");
    }
    HttpResponse<Buffer> userinfo = get(1, "/oauth2/userinfo", token);
    assertThat(userinfo.statusCode()).isEqualTo(200);
    assertThat(userinfo.bodyAsJsonObject().getString("urn:matrix:user_id")).isEqualTo(admin);
  }
}
