package org.gatehouse.auth.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.gatehouse.common.testing.TestBrowser;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gatehouse.auth.AuthTestServer;
import org.gatehouse.auth.domain.Pkce;
import org.gatehouse.common.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The authorization endpoint and the sign-in and consent pages, driven like a browser without JavaScript. */
class AuthorizationFlowTest {
  static final String PASSWORD = "correct horse battery";
  static final String VERIFIER = "verifier-0123456789-0123456789-0123456789-abcdef";
  static AuthTestServer auth;
  static String clientId;

  @BeforeAll
  static void start() throws Exception {
    auth = AuthTestServer.start(Map.of("sign_in_limits", Map.of("per_account", Map.of("per_second", "0.01", "burst", 3))),
        MutableClock.startingNow());
    clientId = auth.oauth().registerClient();
  }

  @AfterAll
  static void stop() {
    auth.close();
  }

  private static String authorizeUrl(Map<String, String> overrides) {
    Map<String, String> params = new java.util.LinkedHashMap<>();
    params.put("response_type", "code");
    params.put("client_id", clientId);
    params.put("redirect_uri", "http://127.0.0.1:5555/callback");
    params.put("scope", "urn:matrix:client:api:* urn:matrix:client:device:FLOWDEVICE01");
    params.put("state", "the-state");
    params.put("code_challenge", Pkce.challengeOf(VERIFIER));
    params.put("code_challenge_method", "S256");
    params.putAll(overrides);
    StringBuilder url = new StringBuilder("/oauth2/authorize?");
    params.forEach((k, v) -> {
      if (v != null) {
        url.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v,
            StandardCharsets.UTF_8)).append('&');
      }
    });
    return url.toString();
  }

  private static TestBrowser browser() {
    return new TestBrowser(auth.client(), auth.baseUrl());
  }

  private static HttpResponse<Buffer> get(TestBrowser browser, String path) throws Exception {
    return browser.get(path);
  }

  private static String hidden(String html, String name) {
    Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
    return m.find() ? m.group(1).replace("&amp;", "&") : null;
  }

  /** Authorizes, signs in and shows the consent page; returns the consent page HTML. */
  private static String toConsent(TestBrowser browser, String user, Map<String, String> overrides) throws Exception {
    HttpResponse<Buffer> authorize = get(browser, authorizeUrl(overrides));
    assertThat(authorize.statusCode()).isEqualTo(303);
    HttpResponse<Buffer> consent = get(browser, authorize.getHeader("Location"));
    if (consent.statusCode() == 303) {
      String login = consent.getHeader("Location");
      String page = get(browser, login).bodyAsString();
      HttpResponse<Buffer> signedIn = signIn(browser, hidden(page, "csrf"), hidden(page, "next"), user, PASSWORD);
      assertThat(signedIn.statusCode()).isEqualTo(303);
      consent = get(browser, signedIn.getHeader("Location"));
    }
    assertThat(consent.statusCode()).isEqualTo(200);
    return consent.bodyAsString();
  }

  private static HttpResponse<Buffer> signIn(TestBrowser browser, String csrf, String next, String user,
                                             String password) throws Exception {
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("username", user).add("password", password)
        .add("next", next == null ? "/account" : next);
    if (csrf != null) {
      form.add("csrf", csrf);
    }
    return browser.post("/login", form);
  }

  private static HttpResponse<Buffer> decide(TestBrowser browser, String consentHtml, String action) throws Exception {
    return browser.post("/oauth2/consent", MultiMap.caseInsensitiveMultiMap()
        .add("csrf", hidden(consentHtml, "csrf")).add("id", hidden(consentHtml, "id")).add("action", action));
  }

  @Test
  void untrustedRequestsEndOnAnErrorPageNotARedirect() throws Exception {
    for (Map<String, String> bad : java.util.List.of(Map.of("client_id", "nobody"),
        Map.of("redirect_uri", "http://127.0.0.1:5555/elsewhere"),
        Map.of("redirect_uri", "https://evil.example/callback"))) {
      HttpResponse<Buffer> response = get(browser(), authorizeUrl(bad));
      assertThat(response.statusCode()).as(bad.toString()).isEqualTo(400);
      assertThat(response.getHeader("Location")).isNull();
      assertThat(response.getHeader("Content-Type")).startsWith("text/html");
    }
  }

  @Test
  void errorsAfterTheRedirectIsTrustedGoBackWithStateAndIss() throws Exception {
    Map<Map<String, String>, String> cases = Map.of(
        Map.of("code_challenge", ""), "invalid_request",
        Map.of("code_challenge_method", "plain"), "invalid_request",
        Map.of("response_type", "token"), "unsupported_response_type",
        Map.of("scope", "urn:matrix:client:api:*"), "invalid_scope",
        Map.of("scope", "urn:matrix:client:api:* urn:matrix:client:device:AAAAAAAAAA urn:matrix:client:device:BBBBBBBBBB"),
        "invalid_scope",
        Map.of("prompt", "none"), "login_required");
    for (var entry : cases.entrySet()) {
      HttpResponse<Buffer> response = get(browser(), authorizeUrl(entry.getKey()));
      assertThat(response.statusCode()).as(entry.getKey().toString()).isEqualTo(303);
      String location = response.getHeader("Location");
      assertThat(location).startsWith("http://127.0.0.1:5555/callback?")
          .contains("error=" + entry.getValue(), "state=the-state",
              "iss=" + URLEncoder.encode(auth.baseUrl() + "/", StandardCharsets.UTF_8));
    }
  }

  @Test
  void silentAuthorizationWithoutASignedInSessionIsLoginRequiredAndSignedInIsConsentRequired() throws Exception {
    TestBrowser browser = browser();
    assertThat(get(browser, authorizeUrl(Map.of("prompt", "none"))).getHeader("Location"))
        .startsWith("http://127.0.0.1:5555/callback?error=login_required").contains("state=the-state");
    String user = "silent-" + System.nanoTime();
    auth.createUser(user, PASSWORD, false);
    toConsent(browser, user, Map.of());
    assertThat(get(browser, authorizeUrl(Map.of("prompt", "none"))).getHeader("Location"))
        .startsWith("http://127.0.0.1:5555/callback?error=consent_required").contains("state=the-state");
  }

  @Test
  void approvedConsentReturnsACodeWithStateAndIssAtAnyLoopbackPort() throws Exception {
    String user = "flow-" + System.nanoTime();
    auth.createUser(user, PASSWORD, false);
    TestBrowser browser = browser();
    String consent = toConsent(browser, user, Map.of());
    assertThat(consent).contains("Test client", "FLOWDEVICE01", "@" + user + ":test.local");
    HttpResponse<Buffer> decided = decide(browser, consent, "allow");
    assertThat(decided.statusCode()).isEqualTo(303);
    assertThat(decided.getHeader("Location")).matches("http://127\\.0\\.0\\.1:5555/callback\\?code=[A-Za-z0-9]{32}"
        + "&state=the-state&iss=.*");
  }

  @Test
  void fragmentResponseModePutsTheParametersInTheFragment() throws Exception {
    String user = "fragment-" + System.nanoTime();
    auth.createUser(user, PASSWORD, false);
    TestBrowser browser = browser();
    String consent = toConsent(browser, user, Map.of("response_mode", "fragment"));
    assertThat(decide(browser, consent, "allow").getHeader("Location"))
        .startsWith("http://127.0.0.1:5555/callback#code=").contains("&state=the-state&iss=");
  }

  @Test
  void clientWithAnHttpsRedirectThatNamesNoResponseModeGetsTheCodeInTheFragment() throws Exception {
    // MSC2964: the fragment response mode for https redirect URIs, so the code never reaches the web server's logs.
    String webClient = auth.client().post("/oauth2/registration").sendJsonObject(new io.vertx.core.json.JsonObject()
            .put("client_name", "Web app").put("client_uri", "https://app.example.org/")
            .put("redirect_uris", new io.vertx.core.json.JsonArray().add("https://app.example.org/callback"))
            .put("token_endpoint_auth_method", "none")
            .put("grant_types", new io.vertx.core.json.JsonArray().add("authorization_code").add("refresh_token")))
        .await(10, java.util.concurrent.TimeUnit.SECONDS).bodyAsJsonObject().getString("client_id");
    String user = "https-" + System.nanoTime();
    auth.createUser(user, PASSWORD, false);
    TestBrowser browser = browser();
    Map<String, String> https = Map.of("client_id", webClient, "redirect_uri", "https://app.example.org/callback");
    String consent = toConsent(browser, user, https);
    assertThat(decide(browser, consent, "allow").getHeader("Location"))
        .startsWith("https://app.example.org/callback#code=").contains("&state=the-state&iss=");
    // Errors too; and a client that asks for query (as matrix-js-sdk does) still gets it.
    Map<String, String> badPkce = new java.util.HashMap<>(https);
    badPkce.put("code_challenge_method", "plain");
    assertThat(get(browser, authorizeUrl(badPkce)).getHeader("Location"))
        .startsWith("https://app.example.org/callback#error=invalid_request");
    Map<String, String> query = new java.util.HashMap<>(https);
    query.put("response_mode", "query");
    String asked = toConsent(browser, user, query);
    assertThat(decide(browser, asked, "allow").getHeader("Location"))
        .startsWith("https://app.example.org/callback?code=");
  }

  @Test
  void denyingSendsAccessDenied() throws Exception {
    String user = "deny-" + System.nanoTime();
    auth.createUser(user, PASSWORD, false);
    TestBrowser browser = browser();
    String consent = toConsent(browser, user, Map.of());
    assertThat(decide(browser, consent, "deny").getHeader("Location")).contains("error=access_denied", "state=the-state");
  }

  @Test
  void formsWithoutTheirCsrfTokenAreRefused() throws Exception {
    String user = "csrf-" + System.nanoTime();
    auth.createUser(user, PASSWORD, false);
    TestBrowser browser = browser();
    get(browser, "/login");
    assertThat(signIn(browser, null, "/account", user, PASSWORD).statusCode()).isEqualTo(403);
    assertThat(signIn(browser, "forged", "/account", user, PASSWORD).statusCode()).isEqualTo(403);
    String consent = toConsent(browser, user, Map.of());
    HttpResponse<Buffer> forged = browser.post("/oauth2/consent", MultiMap.caseInsensitiveMultiMap()
        .add("id", hidden(consent, "id")).add("action", "allow"));
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.getHeader("Location")).isNull();
  }

  @Test
  void pagesCarryTheSecurityHeadersAndSafeCookies() throws Exception {
    HttpResponse<Buffer> page = get(browser(), "/login");
    assertThat(page.getHeader("Content-Security-Policy")).contains("frame-ancestors 'none'", "default-src 'none'");
    assertThat(page.getHeader("X-Frame-Options")).isEqualTo("DENY");
    assertThat(page.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(page.bodyAsString()).doesNotContain("<script").contains("name=\"csrf\"");
    String cookie = page.cookies().stream().filter(c -> c.startsWith(WebSessions.COOKIE)).findFirst().orElseThrow();
    // __Host-: browsers keep it only if Secure, with Path=/ and no Domain, so no sibling subdomain can set one.
    assertThat(cookie).startsWith("__Host-gatehouse_session=");
    assertThat(cookie.toLowerCase(java.util.Locale.ROOT)).contains("httponly", "samesite=lax", "secure", "path=/")
        .doesNotContain("domain=");
  }

  @Test
  void wrongPasswordsAreLimitedPerAccountEvenForTheRightPassword() throws Exception {
    String user = "limited-" + System.nanoTime();
    auth.createUser(user, PASSWORD, false);
    TestBrowser browser = browser();
    String csrf = hidden(get(browser, "/login").bodyAsString(), "csrf");
    for (int i = 0; i < 3; i++) {
      HttpResponse<Buffer> wrong = signIn(browser, csrf, "/account", user, "wrong password");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.bodyAsString()).contains("Wrong username or password");
    }
    HttpResponse<Buffer> limited = signIn(browser, csrf, "/account", user, PASSWORD);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(limited.getHeader("Retry-After"))).isPositive();
    // Another account from the same address is not affected by this account's limit.
    String other = "unlimited-" + System.nanoTime();
    auth.createUser(other, PASSWORD, false);
    assertThat(signIn(browser(), hidden(get(browser, "/login").bodyAsString(), "csrf"), "/account", other, PASSWORD)
        .statusCode()).isIn(303, 403);
  }

  @Test
  void unknownAccountsLookLikeWrongPasswords() throws Exception {
    TestBrowser browser = browser();
    String csrf = hidden(get(browser, "/login").bodyAsString(), "csrf");
    HttpResponse<Buffer> response = signIn(browser, csrf, "/account", "nobody-" + System.nanoTime(), PASSWORD);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.bodyAsString()).contains("Wrong username or password");
  }

  @Test
  void lockedAccountsCannotSignIn() throws Exception {
    String user = "locked-" + System.nanoTime();
    String userId = auth.createUser(user, PASSWORD, false);
    auth.setStatus(userId, false, true);
    TestBrowser browser = browser();
    String csrf = hidden(get(browser, "/login").bodyAsString(), "csrf");
    HttpResponse<Buffer> response = signIn(browser, csrf, "/account", user, PASSWORD);
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.bodyAsString()).contains("Account locked");
    auth.setStatus(userId, false, false);
    assertThat(signIn(browser, csrf, "/account", user, PASSWORD).statusCode()).isEqualTo(303);
  }

  @Test
  void promptLoginAsksForThePasswordAgainEvenWhenSignedIn() throws Exception {
    String user = "prompt-" + System.nanoTime();
    auth.createUser(user, PASSWORD, false);
    TestBrowser browser = browser();
    toConsent(browser, user, Map.of());
    // Signed in now: without prompt the consent page comes straight away...
    HttpResponse<Buffer> again = get(browser, get(browser, authorizeUrl(Map.of())).getHeader("Location"));
    assertThat(again.statusCode()).isEqualTo(200);
    // ...with prompt=login the sign-in page comes first.
    auth.clock().advance(java.time.Duration.ofSeconds(1));
    HttpResponse<Buffer> forced = get(browser, get(browser, authorizeUrl(Map.of("prompt", "login"))).getHeader("Location"));
    assertThat(forced.statusCode()).isEqualTo(303);
    assertThat(forced.getHeader("Location")).startsWith("/login?");
  }

  @Test
  void loginHintPrefillsTheUsername() throws Exception {
    TestBrowser browser = browser();
    HttpResponse<Buffer> consent = get(browser, get(browser, authorizeUrl(Map.of("login_hint", "mxid:@hinted:test.local")))
        .getHeader("Location"));
    HttpResponse<Buffer> login = get(browser, consent.getHeader("Location"));
    assertThat(login.bodyAsString()).contains("value=\"hinted\"");
  }

  @Test
  void theAdminScopeIsOnlyForAdministrators() throws Exception {
    String scope = "urn:matrix:client:api:* urn:synapse:admin:* urn:matrix:client:device:ADMINDEVICE1";
    String user = "notadmin-" + System.nanoTime();
    auth.createUser(user, PASSWORD, false);
    TestBrowser browser = browser();
    HttpResponse<Buffer> authorize = get(browser, authorizeUrl(Map.of("scope", scope)));
    HttpResponse<Buffer> toLogin = get(browser, authorize.getHeader("Location"));
    String page = get(browser, toLogin.getHeader("Location")).bodyAsString();
    HttpResponse<Buffer> signedIn = signIn(browser, hidden(page, "csrf"), hidden(page, "next"), user, PASSWORD);
    HttpResponse<Buffer> consent = get(browser, signedIn.getHeader("Location"));
    assertThat(consent.statusCode()).isEqualTo(303);
    assertThat(consent.getHeader("Location")).contains("error=invalid_scope");

    String admin = "admin-" + System.nanoTime();
    auth.createUser(admin, PASSWORD, true);
    String adminConsent = toConsent(browser(), admin, Map.of("scope", scope));
    assertThat(adminConsent).contains("Act as a server administrator: create, suspend, lock and deactivate accounts");
  }

  @Test
  void theConsentPageSaysWhatEachScopeLetsTheAppDo() throws Exception {
    String user = "consenter-" + System.nanoTime();
    auth.createUser(user, PASSWORD, true);
    String userId = "@" + user + ":test.local";
    String openidOnly = toConsent(browser(), user, Map.of("scope", "openid"));
    assertThat(openidOnly).contains("Know who you are (" + userId + "); nothing else: it cannot use your Matrix account")
        .doesNotContain("Use your Matrix account").doesNotContain("server administrator");
    String api = toConsent(browser(), user, Map.of("scope", "openid urn:matrix:client:api:* urn:matrix:client:device:"
        + "CONSENTDEV01"));
    assertThat(api).contains("Use your Matrix account as you: read and send messages")
        .contains("Sign in as a new device with ID CONSENTDEV01").contains("Know who you are (" + userId + ")</li>")
        .doesNotContain("nothing else").doesNotContain("server administrator");
  }

  @Test
  void theRegistrationPageIsOffUnlessEnabled() throws Exception {
    assertThat(get(browser(), "/register").statusCode()).isEqualTo(404);
    HttpResponse<Buffer> authorize = get(browser(), authorizeUrl(Map.of("prompt", "create")));
    assertThat(authorize.statusCode()).isEqualTo(303);
  }



}
