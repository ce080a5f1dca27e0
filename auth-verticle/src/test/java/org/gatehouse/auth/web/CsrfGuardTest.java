package org.gatehouse.auth.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.gatehouse.auth.AuthTestServer;
import org.gatehouse.common.testing.MutableClock;
import org.gatehouse.common.testing.TestBrowser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every form target of the pages refuses a POST that does not bring back the session's CSRF token, before the page
 * runs: a signed-in browser stays signed in, nothing is created, and the answer is the page's own "expired" one.
 */
class CsrfGuardTest {
  static final String PASSWORD = "correct horse battery";
  static AuthTestServer auth;

  @BeforeAll
  static void start() throws Exception {
    auth = AuthTestServer.start(Map.of("self_registration", true), MutableClock.startingNow());
    auth.createUser("csrf-user", PASSWORD, false);
  }

  @AfterAll
  static void stop() {
    auth.close();
  }

  @Test
  void everyPagePostWithoutTheTokenIsRefused() throws Exception {
    TestBrowser browser = new TestBrowser(auth.client(), auth.baseUrl());
    String login = browser.get("/login").bodyAsString();
    String token = login.replaceAll("(?s).*name=\"csrf\" value=\"([^\"]*)\".*", "$1");
    assertThat(browser.post("/login", MultiMap.caseInsensitiveMultiMap().add("csrf", token)
        .add("username", "csrf-user").add("password", PASSWORD)).statusCode()).isEqualTo(303);

    Map<String, Integer> refusedWith = Map.of("/login", 403, "/logout", 403, "/register", 400, "/oauth2/consent", 403,
        "/link", 403, "/link/confirm", 403, "/account", 403, "/oauth2/legacy-sso", 403);
    for (var target : refusedWith.entrySet()) {
      for (String csrf : new String[] {null, "", "forged"}) {
        MultiMap form = MultiMap.caseInsensitiveMultiMap().add("username", "csrf-new").add("password", PASSWORD)
            .add("password_confirm", PASSWORD).add("action", "org.matrix.account_deactivate")
            .add("confirm_user_id", "@csrf-user:test.local");
        if (csrf != null) {
          form.add("csrf", csrf);
        }
        HttpResponse<Buffer> refused = browser.post(target.getKey(), form);
        assertThat(refused.statusCode()).as(target.getKey() + " with csrf " + csrf).isEqualTo(target.getValue());
        assertThat(refused.bodyAsString()).as(target.getKey()).contains("This form has expired");
        assertThat(refused.getHeader("Content-Security-Policy")).isEqualTo(PageResponses.CSP);
      }
    }
    // Still signed in (no sign-out, no deactivation), and no account was created.
    assertThat(browser.get("/account").statusCode()).isEqualTo(200);
    TestBrowser other = new TestBrowser(auth.client(), auth.baseUrl());
    String page = other.get("/login").bodyAsString();
    assertThat(other.post("/login", MultiMap.caseInsensitiveMultiMap()
        .add("csrf", page.replaceAll("(?s).*name=\"csrf\" value=\"([^\"]*)\".*", "$1"))
        .add("username", "csrf-new").add("password", PASSWORD)).statusCode()).isEqualTo(401);
  }
}
