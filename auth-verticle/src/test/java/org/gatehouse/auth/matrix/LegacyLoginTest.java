package org.gatehouse.auth.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.concurrent.TimeUnit;
import org.gatehouse.auth.AuthTestServer;
import org.gatehouse.auth.SharedAuthServerTest;
import org.gatehouse.common.auth.AuthAddresses;
import org.gatehouse.common.testing.TestBrowser;
import org.junit.jupiter.api.Test;

/** The legacy login API on compatibility sessions: password login, refresh, logout, and how they show elsewhere. */
class LegacyLoginTest extends SharedAuthServerTest {
  private static HttpResponse<Buffer> post(String path, String token, JsonObject body) throws Exception {
    var request = auth.client().post(path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return request.sendJsonObject(body).await(10, TimeUnit.SECONDS);
  }

  private static JsonObject passwordLogin(String user, String password) {
    return new JsonObject().put("type", "m.login.password").put("password", password)
        .put("identifier", new JsonObject().put("type", "m.id.user").put("user", user));
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String errcode) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.bodyAsJsonObject().getString("errcode")).isEqualTo(errcode);
  }

  private static JsonObject introspect(String token) throws Exception {
    return auth.client().post("/oauth2/introspect").bearerTokenAuthentication(AuthTestServer.INTROSPECTION_SECRET)
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("token", token).add("token_type_hint", "access_token"))
        .await(10, TimeUnit.SECONDS).bodyAsJsonObject();
  }

  @Test
  void theFlowsArePasswordSsoAndToken() throws Exception {
    JsonObject flows = auth.client().get("/_matrix/client/v3/login").send().await(10, TimeUnit.SECONDS).bodyAsJsonObject();
    assertThat(flows).isEqualTo(new JsonObject().put("flows", new JsonArray()
        .add(new JsonObject().put("type", "m.login.password"))
        .add(new JsonObject().put("type", "m.login.sso").put("identity_providers", new JsonArray()
            .add(new JsonObject().put("id", "gatehouse").put("name", "Gatehouse"))))
        .add(new JsonObject().put("type", "m.login.token"))));
  }

  @Test
  void ssoSignsInOnThePagesAsksBeforeGoingBackAndTheTokenWorksOnce() throws Exception {
    String user = newUser();
    TestBrowser browser = new TestBrowser(WebClient.create(auth.server().vertx(),
        new WebClientOptions().setFollowRedirects(false)), auth.baseUrl());
    String app = "https://app.example.org/after-login?state=abc";
    HttpResponse<Buffer> started = browser.get("/_matrix/client/v3/login/sso/redirect/gatehouse?redirectUrl="
        + java.net.URLEncoder.encode(app, java.nio.charset.StandardCharsets.UTF_8));
    assertThat(started.statusCode()).isEqualTo(303);
    String confirm = started.getHeader("Location");
    assertThat(confirm).startsWith("/oauth2/legacy-sso?id=");
    // Nobody signed in yet: the sign-in page, which leads back.
    String signIn = browser.get(confirm).getHeader("Location");
    assertThat(signIn).startsWith("/login?next=");
    String signInPage = browser.get(signIn).bodyAsString();
    HttpResponse<Buffer> signedIn = browser.post("/login", MultiMap.caseInsensitiveMultiMap()
        .add("csrf", hidden(signInPage, "csrf")).add("next", hidden(signInPage, "next")).add("username", user)
        .add("password", PASSWORD));
    assertThat(signedIn.getHeader("Location")).isEqualTo(confirm);
    // An application the operator did not list: the person is asked, naming the host and the account.
    HttpResponse<Buffer> question = browser.get(confirm);
    assertThat(question.statusCode()).isEqualTo(200);
    assertThat(question.bodyAsString()).contains("Continue to app.example.org?").contains("@" + user + ":test.local");
    // Without the form's CSRF token nothing is handed out.
    HttpResponse<Buffer> forged = browser.post("/oauth2/legacy-sso", MultiMap.caseInsensitiveMultiMap()
        .add("id", hidden(question.bodyAsString(), "id")));
    assertThat(forged.statusCode()).isEqualTo(403);
    HttpResponse<Buffer> back = browser.post("/oauth2/legacy-sso", MultiMap.caseInsensitiveMultiMap()
        .add("csrf", hidden(question.bodyAsString(), "csrf")).add("id", hidden(question.bodyAsString(), "id")));
    assertThat(back.statusCode()).isEqualTo(303);
    String location = back.getHeader("Location");
    assertThat(location).startsWith(app + "&loginToken=mlt_");
    String loginToken = location.substring(location.indexOf("loginToken=") + "loginToken=".length());

    HttpResponse<Buffer> login = post("/_matrix/client/v3/login", null, new JsonObject().put("type", "m.login.token")
        .put("token", loginToken).put("initial_device_display_name", "SSO app"));
    assertThat(login.statusCode()).as(login.bodyAsString()).isEqualTo(200);
    assertThat(login.bodyAsJsonObject().getString("user_id")).isEqualTo("@" + user + ":test.local");
    assertThat(whoami(login.bodyAsJsonObject().getString("access_token"))).isEqualTo(200);
    // Single use.
    assertError(post("/_matrix/client/v3/login", null, new JsonObject().put("type", "m.login.token")
        .put("token", loginToken)), 403, "M_FORBIDDEN");
    // The request was used up too: the same confirmation page is gone.
    assertThat(browser.get(confirm).statusCode()).isEqualTo(400);
  }

  @Test
  void ssoRefusesWhatABrowserMustNotBeSentToWithAToken() throws Exception {
    TestBrowser browser = new TestBrowser(WebClient.create(auth.server().vertx(),
        new WebClientOptions().setFollowRedirects(false)), auth.baseUrl());
    for (String bad : new String[] {"javascript:alert(1)", "data:text/html,x", "/relative/path", "https://app.example.org/#frag"}) {
      HttpResponse<Buffer> refused = browser.get("/_matrix/client/v3/login/sso/redirect?redirectUrl="
          + java.net.URLEncoder.encode(bad, java.nio.charset.StandardCharsets.UTF_8));
      assertThat(refused.statusCode()).as(bad).isEqualTo(400);
    }
    assertThat(browser.get("/_matrix/client/v3/login/sso/redirect").statusCode()).isEqualTo(400);
    assertThat(browser.get("/_matrix/client/v3/login/sso/redirect/github?redirectUrl=https%3A%2F%2Fapp.example.org%2F")
        .statusCode()).isEqualTo(404);
    assertError(post("/_matrix/client/v3/login", null, new JsonObject().put("type", "m.login.token")
        .put("token", "mlt_not_a_token")), 403, "M_FORBIDDEN");
  }

  private static String hidden(String html, String name) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"")
        .matcher(html);
    assertThat(m.find()).as(name + " in " + html).isTrue();
    return m.group(1).replace("&amp;", "&").replace("&#34;", "\"");
  }

  @Test
  void aPasswordLoginIsASessionLikeAnyOtherUntilLogout() throws Exception {
    String user = newUser();
    HttpResponse<Buffer> login = post("/_matrix/client/v3/login", null, passwordLogin(user, PASSWORD)
        .put("initial_device_display_name", "A bot"));
    assertThat(login.statusCode()).as(login.bodyAsString()).isEqualTo(200);
    JsonObject answer = login.bodyAsJsonObject();
    assertThat(answer.getString("user_id")).isEqualTo("@" + user + ":test.local");
    assertThat(answer.getString("device_id")).matches("[A-Z]{10}");
    assertThat(answer.containsKey("refresh_token")).as("not asked for").isFalse();
    String token = answer.getString("access_token");
    assertThat(token).startsWith("mat_");
    assertThat(whoami(token)).isEqualTo(200);
    JsonObject device = oauth.get("/_matrix/client/v3/devices/" + answer.getString("device_id"), token).bodyAsJsonObject();
    assertThat(device.getString("display_name")).isEqualTo("A bot");
    // The homeserver sees it as it sees an OAuth session's token: active, with the device.
    JsonObject introspected = introspect(token);
    assertThat(introspected.getBoolean("active")).isTrue();
    assertThat(introspected.getString("device_id")).isEqualTo(answer.getString("device_id"));
    assertThat(introspected.getString("scope")).contains("urn:matrix:client:api:*");
    assertThat(introspected.getLong("expires_in")).as("a token that cannot be refreshed lasts")
        .isGreaterThan(365L * 24 * 3600);

    assertThat(post("/_matrix/client/v3/logout", token, new JsonObject()).statusCode()).isEqualTo(200);
    assertThat(whoami(token)).isEqualTo(401);
    assertThat(introspect(token).getBoolean("active")).isFalse();
  }

  @Test
  void theDeprecatedUserFieldAndAGivenDeviceWork() throws Exception {
    String user = newUser();
    JsonObject answer = post("/_matrix/client/r0/login", null, new JsonObject().put("type", "m.login.password")
        .put("user", "@" + user + ":test.local").put("password", PASSWORD).put("device_id", "MYBOT")).bodyAsJsonObject();
    assertThat(answer.getString("device_id")).isEqualTo("MYBOT");
    assertThat(whoami(answer.getString("access_token"))).isEqualTo(200);
  }

  @Test
  void withRefreshTokensTheAccessTokenExpiresAndRotates() throws Exception {
    String user = newUser();
    JsonObject answer = post("/_matrix/client/v3/login", null, passwordLogin(user, PASSWORD).put("refresh_token", true))
        .bodyAsJsonObject();
    assertThat(answer.getLong("expires_in_ms")).isBetween(1L, 5 * 60 * 1000L);
    String refreshToken = answer.getString("refresh_token");
    assertThat(refreshToken).startsWith("mar_");
    HttpResponse<Buffer> refreshed = post("/_matrix/client/v3/refresh", null,
        new JsonObject().put("refresh_token", refreshToken));
    assertThat(refreshed.statusCode()).as(refreshed.bodyAsString()).isEqualTo(200);
    JsonObject next = refreshed.bodyAsJsonObject();
    assertThat(next.getString("refresh_token")).isNotEqualTo(refreshToken);
    assertThat(whoami(next.getString("access_token"))).isEqualTo(200);
    // A refresh token that is not one, or one of an OAuth client, is refused as unknown.
    assertError(post("/_matrix/client/v3/refresh", null, new JsonObject().put("refresh_token", "mar_nothing")), 401,
        "M_UNKNOWN_TOKEN");
    String oauthRefresh = oauth.signIn(user, PASSWORD).refreshToken();
    assertError(post("/_matrix/client/v3/refresh", null, new JsonObject().put("refresh_token", oauthRefresh)), 401,
        "M_UNKNOWN_TOKEN");
  }

  @Test
  void wrongPasswordsUnknownTypesAndAppservicesAreRefused() throws Exception {
    String user = newUser();
    assertError(post("/_matrix/client/v3/login", null, passwordLogin(user, "not the password")), 403, "M_FORBIDDEN");
    assertError(post("/_matrix/client/v3/login", null, passwordLogin("nobody-at-all", PASSWORD)), 403, "M_FORBIDDEN");
    assertError(post("/_matrix/client/v3/login", null, new JsonObject().put("type", "m.login.recaptcha")),
        400, "M_UNKNOWN");
    assertError(post("/_matrix/client/v3/login", null, new JsonObject().put("type", "m.login.application_service")),
        400, "M_APPSERVICE_LOGIN_UNSUPPORTED");
    assertError(post("/_matrix/client/v3/login", null, new JsonObject().put("type", "m.login.password")
        .put("password", PASSWORD).put("identifier", new JsonObject().put("type", "m.id.thirdparty"))), 400, "M_UNKNOWN");
    assertError(post("/_matrix/client/v3/login", null, passwordLogin(user, PASSWORD).put("device_id", "has space")),
        400, "M_INVALID_PARAM");
    assertError(post("/_matrix/client/v3/login", null, new JsonObject().put("type", "m.login.password")), 400,
        "M_MISSING_PARAM");
  }

  @Test
  void lockedAndDeactivatedAccountsGetTheirOwnCodes() throws Exception {
    String locked = newUser();
    auth.setStatus("@" + locked + ":test.local", false, true);
    HttpResponse<Buffer> refused = post("/_matrix/client/v3/login", null, passwordLogin(locked, PASSWORD));
    assertError(refused, 401, "M_USER_LOCKED");
    String gone = newUser();
    auth.server().vertx().eventBus().request(AuthAddresses.ACCOUNT_DEACTIVATE,
        new JsonObject().put("user_id", "@" + gone + ":test.local").put("by", "test")).await(10, TimeUnit.SECONDS);
    assertError(post("/_matrix/client/v3/login", null, passwordLogin(gone, PASSWORD)), 403, "M_USER_DEACTIVATED");
    // Only with the right password: a wrong one says nothing about the account.
    assertError(post("/_matrix/client/v3/login", null, passwordLogin(gone, "wrong password")), 403, "M_FORBIDDEN");
  }

  @Test
  void logoutAllEndsEverySessionOAuthOnesIncluded() throws Exception {
    String user = newUser();
    String legacy = post("/_matrix/client/v3/login", null, passwordLogin(user, PASSWORD)).bodyAsJsonObject()
        .getString("access_token");
    String viaOAuth = oauth.signIn(user, PASSWORD).accessToken();
    assertThat(post("/_matrix/client/v3/logout/all", legacy, new JsonObject()).statusCode()).isEqualTo(200);
    assertThat(whoami(legacy)).isEqualTo(401);
    assertThat(whoami(viaOAuth)).isEqualTo(401);
    assertError(post("/_matrix/client/v3/logout", null, new JsonObject()), 401, "M_MISSING_TOKEN");
  }

  @Test
  void turnedOffThereIsNoFlowAndAPasswordIsRefused() throws Exception {
    try (AuthTestServer off = AuthTestServer.start(java.util.Map.of("legacy_login", java.util.Map.of("password", false, "sso", false)),
        org.gatehouse.common.testing.MutableClock.startingNow())) {
      String user = "off" + System.nanoTime();
      off.createUser(user, PASSWORD, false);
      assertThat(off.client().get("/_matrix/client/v3/login").send().await(10, TimeUnit.SECONDS).bodyAsJsonObject())
          .isEqualTo(new JsonObject().put("flows", new JsonArray()));
      HttpResponse<Buffer> refused = off.client().post("/_matrix/client/v3/login")
          .sendJsonObject(passwordLogin(user, PASSWORD)).await(10, TimeUnit.SECONDS);
      assertError(refused, 400, "M_UNKNOWN");
    }
  }

  @Test
  void aRedirectTheOperatorTrustsGetsTheTokenWithoutTheQuestion() throws Exception {
    try (AuthTestServer trusting = AuthTestServer.start(java.util.Map.of("legacy_login",
        java.util.Map.of("trusted_redirects", java.util.List.of("https://element.example.org/"))),
        org.gatehouse.common.testing.MutableClock.startingNow())) {
      String user = "trusting" + System.nanoTime();
      trusting.createUser(user, PASSWORD, false);
      TestBrowser browser = new TestBrowser(WebClient.create(trusting.server().vertx(),
          new WebClientOptions().setFollowRedirects(false)), trusting.baseUrl());
      String confirm = browser.get("/_matrix/client/v3/login/sso/redirect?redirectUrl="
          + java.net.URLEncoder.encode("https://element.example.org/welcome",
          java.nio.charset.StandardCharsets.UTF_8)).getHeader("Location");
      String signInPage = browser.get(browser.get(confirm).getHeader("Location")).bodyAsString();
      browser.post("/login", MultiMap.caseInsensitiveMultiMap().add("csrf", hidden(signInPage, "csrf"))
          .add("next", hidden(signInPage, "next")).add("username", user).add("password", PASSWORD));
      HttpResponse<Buffer> back = browser.get(confirm);
      assertThat(back.statusCode()).isEqualTo(303);
      assertThat(back.getHeader("Location")).startsWith("https://element.example.org/welcome?loginToken=mlt_");
    }
  }

  @Test
  void aCompatibilitySessionIsListedLockedAndEndedLikeAnyOther() throws Exception {
    String user = newUser();
    String userId = "@" + user + ":test.local";
    JsonObject answer = post("/_matrix/client/v3/login", null, passwordLogin(user, PASSWORD)).bodyAsJsonObject();
    String token = answer.getString("access_token");
    // The admin API's session list (the bus question it asks) names it, with its device and client.
    JsonObject sessions = auth.server().vertx().eventBus().<JsonObject>request(AuthAddresses.SESSIONS_LIST,
        new JsonObject().put("user_id", userId)).await(10, TimeUnit.SECONDS).body();
    JsonObject listed = sessions.getJsonArray("sessions").getJsonObject(0);
    assertThat(listed.getString("device_id")).isEqualTo(answer.getString("device_id"));
    assertThat(listed.getString("client_id")).isEqualTo("gatehouse-legacy-login");
    assertThat(listed.getString("client_name")).isEqualTo("Matrix login API");
    // The account page lists its device among the person's sessions.
    TestBrowser browser = new TestBrowser(WebClient.create(auth.server().vertx(),
        new WebClientOptions().setFollowRedirects(false)), auth.baseUrl());
    String signInPage = browser.get("/login").bodyAsString();
    browser.post("/login", MultiMap.caseInsensitiveMultiMap().add("csrf", hidden(signInPage, "csrf"))
        .add("username", user).add("password", PASSWORD));
    assertThat(browser.get("/account?action=org.matrix.sessions_list").bodyAsString())
        .contains(answer.getString("device_id"));
    // MSC4323: locked, the token is refused here and inactive for the homeserver; unlocked, it works again.
    auth.setStatus(userId, false, true);
    HttpResponse<Buffer> locked = oauth.get("/_matrix/client/v3/account/whoami", token);
    assertError(locked, 401, "M_USER_LOCKED");
    assertThat(introspect(token).getBoolean("active")).isFalse();
    auth.setStatus(userId, false, false);
    assertThat(whoami(token)).isEqualTo(200);
    // Deactivation ends it.
    auth.server().vertx().eventBus().request(AuthAddresses.ACCOUNT_DEACTIVATE,
        new JsonObject().put("user_id", userId).put("by", "test")).await(10, TimeUnit.SECONDS);
    assertThat(whoami(token)).isEqualTo(401);
    assertThat(introspect(token).getBoolean("active")).isFalse();
  }

  @Test
  void passwordGuessesOnTheApiAreLimitedOnTheSameCountersAsThePage() throws Exception {
    try (AuthTestServer limited = AuthTestServer.start(java.util.Map.of("sign_in_limits", java.util.Map.of(
        "per_account", java.util.Map.of("per_second", "0.01", "burst", 2))),
        org.gatehouse.common.testing.MutableClock.startingNow())) {
      String user = "guessed" + System.nanoTime();
      limited.createUser(user, PASSWORD, false);
      for (int i = 0; i < 2; i++) {
        HttpResponse<Buffer> wrong = limited.client().post("/_matrix/client/v3/login")
            .sendJsonObject(passwordLogin(user, "guess " + i)).await(10, TimeUnit.SECONDS);
        assertError(wrong, 403, "M_FORBIDDEN");
      }
      // The bucket is empty: even the right password is not checked now.
      HttpResponse<Buffer> refused = limited.client().post("/_matrix/client/v3/login")
          .sendJsonObject(passwordLogin(user, PASSWORD)).await(10, TimeUnit.SECONDS);
      assertError(refused, 429, "M_LIMIT_EXCEEDED");
      assertThat(refused.getHeader("Retry-After")).isNotNull();
      assertThat(refused.bodyAsJsonObject().getLong("retry_after_ms")).isPositive();
      // And the sign-in page, counting on the same bucket, refuses the account too.
      TestBrowser browser = new TestBrowser(WebClient.create(limited.server().vertx(),
          new WebClientOptions().setFollowRedirects(false)), limited.baseUrl());
      String signInPage = browser.get("/login").bodyAsString();
      HttpResponse<Buffer> page = browser.post("/login", MultiMap.caseInsensitiveMultiMap()
          .add("csrf", hidden(signInPage, "csrf")).add("username", user).add("password", PASSWORD));
      assertThat(page.statusCode()).isEqualTo(429);
    }
  }
}
