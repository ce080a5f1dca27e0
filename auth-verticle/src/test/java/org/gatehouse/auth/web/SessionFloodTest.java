package org.gatehouse.auth.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gatehouse.auth.AuthTestServer;
import org.gatehouse.auth.domain.Pkce;
import org.gatehouse.common.testing.MutableClock;
import org.gatehouse.common.testing.TestBrowser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What cookie-less requests can make the cluster hold: browser sessions and the authorization requests waiting
 * in them. Both are limited per address, what a request may store is bounded, and a session nobody signs in to
 * is soon forgotten.
 */
class SessionFloodTest {
  static final String PASSWORD = "correct horse battery";
  static final int AUTHORIZE_BURST = 5;
  static final int NEW_SESSION_BURST = 8;
  static final Duration ANONYMOUS_IDLE = Duration.ofSeconds(2);
  static AuthTestServer auth;
  static String clientId;

  @BeforeAll
  static void start() throws Exception {
    auth = AuthTestServer.start(Map.of(
            "page_limits", Map.of(
                "authorize", Map.of("per_second", "0.01", "burst", AUTHORIZE_BURST),
                "new_session", Map.of("per_second", "0.01", "burst", NEW_SESSION_BURST)),
            "web_session_idle_timeout", "1m",
            "anonymous_web_session_idle_timeout", ANONYMOUS_IDLE.toSeconds() + "s"),
        MutableClock.startingNow());
    clientId = auth.oauth().registerClient();
  }

  @AfterAll
  static void stop() {
    auth.close();
  }

  @BeforeEach
  void everyBucketFull() {
    // Every test browses from this address: let the limits refill for the next one.
    auth.clock().advance(Duration.ofHours(1));
  }

  private static TestBrowser browser() {
    return new TestBrowser(auth.client(), auth.baseUrl());
  }

  private static String authorizeUrl(Map<String, String> overrides) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("response_type", "code");
    params.put("client_id", clientId);
    params.put("redirect_uri", "http://127.0.0.1:5555/callback");
    params.put("scope", "urn:matrix:client:api:* urn:matrix:client:device:FLOODDEVICE1");
    params.put("state", "the-state");
    params.put("code_challenge", Pkce.challengeOf("verifier-0123456789-0123456789-0123456789-abcdef"));
    params.put("code_challenge_method", "S256");
    params.putAll(overrides);
    StringBuilder url = new StringBuilder("/oauth2/authorize?");
    params.forEach((k, v) -> url.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
        .append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
    return url.toString();
  }

  private static boolean keepsASession(HttpResponse<Buffer> response) {
    return response.cookies().stream().anyMatch(c -> c.startsWith(WebSessions.COOKIE + "=")
        && !c.startsWith(WebSessions.COOKIE + "=;") && !c.toLowerCase(java.util.Locale.ROOT).contains("max-age=0"));
  }

  private static void assertLimitedPage(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(response.getHeader("Retry-After"))).isPositive();
    assertThat(response.getHeader("Content-Type")).startsWith("text/html");
    assertThat(response.getHeader("Location")).isNull();
    assertThat(keepsASession(response)).isFalse();
  }

  private static String csrf(String html) {
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"").matcher(html);
    return m.find() ? m.group(1) : null;
  }

  @Test
  void anAddressSendingAuthorizationRequestsNonStopIsRefusedBeforeAnyIsKept() throws Exception {
    TestBrowser browser = browser();
    for (int i = 0; i < AUTHORIZE_BURST; i++) {
      HttpResponse<Buffer> kept = browser.get(authorizeUrl(Map.of()));
      assertThat(kept.statusCode()).as("request " + i).isEqualTo(303);
      assertThat(kept.getHeader("Location")).startsWith("/oauth2/consent?id=");
    }
    assertLimitedPage(browser.get(authorizeUrl(Map.of())));
    // Without a cookie too, and no session is started for the refused request.
    assertLimitedPage(browser().get(authorizeUrl(Map.of())));
  }

  @Test
  void anAddressOpeningSessionsWithoutCookiesIsRefusedButBrowsersWithTheirSessionCarryOn() throws Exception {
    TestBrowser returning = browser();
    assertThat(returning.get("/login").statusCode()).isEqualTo(200);
    for (int i = 1; i < NEW_SESSION_BURST; i++) {
      HttpResponse<Buffer> page = browser().get("/login");
      assertThat(page.statusCode()).as("session " + i).isEqualTo(200);
      assertThat(keepsASession(page)).isTrue();
    }
    assertLimitedPage(browser().get("/login"));
    assertLimitedPage(browser().get("/account"));
    // A browser whose session is kept is not starting one: it is not counted.
    assertThat(returning.get("/login").statusCode()).isEqualTo(200);
  }

  @Test
  void aStateOrNonceLongerThan512CharactersIsSentBackAsInvalidRequest() throws Exception {
    String tooLong = "s".repeat(AuthorizeEndpoint.MAX_STATE + 1);
    HttpResponse<Buffer> longState = browser().get(authorizeUrl(Map.of("state", tooLong)));
    assertThat(longState.statusCode()).isEqualTo(303);
    assertThat(longState.getHeader("Location")).startsWith("http://127.0.0.1:5555/callback?error=invalid_request&")
        .contains("state=" + tooLong, "iss=");
    HttpResponse<Buffer> longNonce = browser().get(authorizeUrl(Map.of("nonce", tooLong)));
    assertThat(longNonce.getHeader("Location")).startsWith("http://127.0.0.1:5555/callback?error=invalid_request&")
        .contains("state=the-state");
    // 512 is fine.
    String longest = "n".repeat(AuthorizeEndpoint.MAX_STATE);
    assertThat(browser().get(authorizeUrl(Map.of("state", longest, "nonce", longest))).getHeader("Location"))
        .startsWith("/oauth2/consent?id=");
    // Until the client and its redirect URI are known, it is a page like every error there (never a redirect).
    HttpResponse<Buffer> untrusted = browser().get(authorizeUrl(Map.of("state", tooLong, "client_id", "nobody")));
    assertThat(untrusted.statusCode()).isEqualTo(400);
    assertThat(untrusted.getHeader("Location")).isNull();
  }

  @Test
  void aSessionNobodySignedInToIsForgottenSoonWhileASignedInOneLives() throws Exception {
    String user = "flood-" + System.nanoTime();
    auth.createUser(user, PASSWORD, false);
    TestBrowser idle = browser();
    String idleCsrf = csrf(idle.get("/login").bodyAsString());
    TestBrowser signedIn = browser();
    String csrf = csrf(signedIn.get("/login").bodyAsString());
    assertThat(signedIn.post("/login", MultiMap.caseInsensitiveMultiMap().add("csrf", csrf).add("next", "/account")
        .add("username", user).add("password", PASSWORD)).statusCode()).isEqualTo(303);

    Thread.sleep(ANONYMOUS_IDLE.plusSeconds(1).toMillis());

    // The sign-in form's session is gone: its token no longer matches anything.
    HttpResponse<Buffer> expired = idle.post("/login", MultiMap.caseInsensitiveMultiMap().add("csrf", idleCsrf)
        .add("next", "/account").add("username", user).add("password", PASSWORD));
    assertThat(expired.statusCode()).isEqualTo(403);
    assertThat(expired.bodyAsString()).contains("This form has expired");
    // The signed-in one keeps the signed-in idle timeout.
    assertThat(signedIn.get("/account").statusCode()).isEqualTo(200);
  }
}
