package org.gatehouse.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.gatehouse.common.auth.AuthAddresses;
import org.gatehouse.common.testing.OAuthTestClient;
import org.gatehouse.server.interop.NodeScript;
import org.gatehouse.server.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every web page in a real browser: headless Chromium (Debian's, through playwright-core) driven by the scripts
 * {@code interop/browser-*.mjs} against one started node, a fresh user per test. The person types and clicks; the
 * pages have no JavaScript, so cookies, CSRF tokens and redirects are the browser's own doing. Each script returns
 * what the person saw and what the application, device or homeserver got; the assertions here are those facts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PagesInBrowserTest {
  static final String PASSWORD = "correct horse battery";
  static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(3);
  static final String CSP_NO_FRAMING = "frame-ancestors 'none'";

  TestNodes nodes;
  String baseUrl;
  Vertx vertx;

  @BeforeAll
  void start() {
    // Redirects and links are built on public_base_url, so the node listens where that URL points.
    nodes = TestNodes.startOneAtItsPublicUrl(Map.of("auth", Map.of("self_registration", true)));
    baseUrl = nodes.publicUrl();
    vertx = Vertx.vertx();
  }

  @AfterAll
  void stop() {
    nodes.close();
    vertx.close().await();
  }

  private String newUser(String prefix, boolean admin) throws Exception {
    String localpart = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    nodes.node(0).vertx().eventBus().request(AuthAddresses.ACCOUNT_CREATE, new JsonObject().put("localpart", localpart)
        .put("password", PASSWORD).put("admin", admin)).await(30, TimeUnit.SECONDS);
    return localpart;
  }

  private JsonObject run(String script, String user, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("GATEHOUSE_BASE_URL", baseUrl);
    env.put("GATEHOUSE_USER", user);
    env.put("GATEHOUSE_PASSWORD", PASSWORD);
    JsonObject result = NodeScript.run(script, env, SCRIPT_TIMEOUT).json();
    assertThat(result.getBoolean("ok")).as(result.encodePrettily()).isTrue();
    return result;
  }

  /** Locks an account through the admin API, as an administrator's tool would. */
  private void lock(String localpart) throws Exception {
    String admin = newUser("admin", true);
    String token = new OAuthTestClient(vertx, baseUrl).signInAsAdministrator(admin, PASSWORD).accessToken();
    String userId = URLEncoder.encode("@" + localpart + ":test.local", StandardCharsets.UTF_8);
    HttpResponse<Buffer> locked = WebClient.create(vertx).putAbs(baseUrl + "/_matrix/client/v1/admin/lock/" + userId)
        .bearerTokenAuthentication(token).sendJsonObject(new JsonObject().put("locked", true))
        .await(30, TimeUnit.SECONDS);
    assertThat(locked.statusCode()).as(locked.bodyAsString()).isEqualTo(200);
  }

  private static List<Object> list(JsonObject facts, String key) {
    return facts.getJsonArray(key).getList();
  }

  @Test
  void signInConsentDenySignOutSignUpAndErrorPages() throws Exception {
    String user = newUser("browser", false);
    String other = newUser("other", false);
    String locked = newUser("locked", false);
    lock(locked);
    String newcomer = "newcomer-" + UUID.randomUUID().toString().substring(0, 8);
    JsonObject r = run("browser-sign-in.mjs", user, Map.of("GATEHOUSE_CLIENT_NAME", "Chromium Test App",
        "GATEHOUSE_OTHER_USER", other, "GATEHOUSE_NEW_USER", newcomer, "GATEHOUSE_LOCKED_USER", locked,
        "GATEHOUSE_SERVER_NAME", "test.local"));
    String userId = "@" + user + ":test.local";

    // Requests that cannot be trusted end on an error page, never at the redirect URI they name.
    JsonObject errors = r.getJsonObject("errors");
    assertThat(errors.getJsonObject("unknownClient").getInteger("status")).isEqualTo(400);
    assertThat(errors.getJsonObject("unknownClient").getString("text")).contains("not registered");
    assertThat(errors.getJsonObject("unregisteredRedirect").getString("path")).isEqualTo("/oauth2/authorize");
    assertThat(errors.getJsonObject("unregisteredRedirect").getString("text")).contains("did not register");
    assertThat(errors.getInteger("callbacksFromUntrusted")).isZero();
    JsonObject missingPkce = errors.getJsonObject("missingPkce");
    assertThat(missingPkce.getString("origin")).isEqualTo("application");
    assertThat(missingPkce.getString("error")).isEqualTo("invalid_request");
    assertThat(missingPkce.getString("state")).isEqualTo(missingPkce.getString("expectedState"));
    assertThat(missingPkce.getString("iss")).isEqualTo(baseUrl + "/");

    // The sign-in page, reached through the authorization endpoint, with its headers and form.
    JsonObject signIn = r.getJsonObject("signInPage");
    assertThat(signIn.getString("path")).isEqualTo("/login");
    assertThat(signIn.getString("heading")).isEqualTo("Sign in");
    assertThat(signIn.getString("csp")).contains(CSP_NO_FRAMING);
    assertThat(signIn.getString("xFrameOptions")).isEqualTo("DENY");
    assertThat(signIn.getJsonObject("form").getString("method")).isEqualTo("post");
    assertThat(signIn.getJsonObject("form").getString("action")).isEqualTo("/login");
    assertThat(signIn.getJsonObject("form").getBoolean("csrf")).isTrue();
    assertThat(signIn.getBoolean("createAccountLink")).isTrue();
    // Chromium blocked the page that framed the sign-in page.
    assertThat(r.getJsonObject("framing").getString("frameUrl")).startsWith("chrome-error:");
    assertThat(r.getJsonObject("framing").getInteger("passwordFieldsInFrame")).isZero();
    // The session cookie as the browser holds it: __Host- (so Secure, Path=/, no Domain, which Chromium checked
    // before keeping it), HttpOnly (invisible to page scripts), SameSite=Lax.
    assertThat(r.getJsonArray("cookies")).hasSize(1);
    JsonObject cookie = r.getJsonArray("cookies").getJsonObject(0);
    assertThat(cookie.getString("name")).isEqualTo("__Host-gatehouse_session");
    assertThat(cookie.getString("path")).isEqualTo("/");
    assertThat(cookie.getBoolean("secure")).as("Secure").isTrue();
    assertThat(cookie.getBoolean("httpOnly")).as("HttpOnly").isTrue();
    assertThat(cookie.getString("sameSite")).isEqualTo("Lax");
    assertThat(r.getString("cookieVisibleToPageScripts")).isEmpty();
    assertThat(r.getBoolean("sessionIdChangedOnSignIn")).isTrue();

    JsonObject wrong = r.getJsonObject("wrongPassword");
    assertThat(wrong.getInteger("status")).isEqualTo(401);
    assertThat(wrong.getString("alert")).isEqualTo("Wrong username or password.");
    assertThat(wrong.getString("usernameKept")).isEqualTo(user);
    assertThat(wrong.getBoolean("passwordEmpty")).isTrue();

    // The consent page names the application, its site and the device being created.
    JsonObject consent = r.getJsonObject("consent");
    assertThat(consent.getString("path")).isEqualTo("/oauth2/consent");
    assertThat(consent.getString("clientName")).isEqualTo("Chromium Test App");
    assertThat(consent.getString("clientUri")).isEqualTo("https://client.example.org/");
    assertThat(consent.getString("text")).contains("Signed in as " + userId);
    assertThat(list(consent, "access")).contains("Sign in as a new device with ID BROWSERDEV1");
    assertThat(consent.getJsonObject("form").getBoolean("csrf")).isTrue();
    assertThat(consent.getString("csp")).contains(CSP_NO_FRAMING);

    JsonObject callback = r.getJsonObject("callback");
    assertThat(callback.getString("origin")).isEqualTo("application");
    assertThat(callback.getBoolean("stateMatches")).isTrue();
    assertThat(callback.getBoolean("hasCode")).isTrue();
    assertThat(callback.getString("iss")).isEqualTo(baseUrl + "/");
    assertThat(r.getJsonObject("token").getInteger("status")).isEqualTo(200);
    assertThat(r.getJsonObject("whoami").getInteger("status")).isEqualTo(200);
    assertThat(r.getJsonObject("whoami").getString("user_id")).isEqualTo(userId);
    assertThat(r.getJsonObject("whoami").getString("device_id")).isEqualTo("BROWSERDEV1");

    // prompt=login asks for the password again although the browser is signed in; then the person denies.
    JsonObject deny = r.getJsonObject("deny");
    assertThat(deny.getString("promptLoginPath")).isEqualTo("/login");
    assertThat(deny.getString("consentPath")).isEqualTo("/oauth2/consent");
    assertThat(deny.getString("origin")).isEqualTo("application");
    assertThat(deny.getString("error")).isEqualTo("access_denied");
    assertThat(deny.getBoolean("stateMatches")).isTrue();
    assertThat(deny.getBoolean("hasCode")).isFalse();

    // "Not you? Sign out": the sign-in page leads back to the same request, which the other person then allows.
    JsonObject notYou = r.getJsonObject("notYou");
    assertThat(notYou.getJsonObject("afterSignOut").getString("path")).isEqualTo("/login");
    assertThat(notYou.getJsonObject("afterSignOut").getString("next")).startsWith("/oauth2/consent?id=");
    assertThat(notYou.getString("hintedAuthorizationPath")).isEqualTo("/login");
    assertThat(notYou.getString("usernamePrefilled")).isEqualTo(user);
    assertThat(notYou.getJsonObject("consentAsOther").getString("text"))
        .contains("Signed in as @" + other + ":test.local");
    assertThat(notYou.getBoolean("callbackStateMatches")).isTrue();
    assertThat(notYou.getJsonObject("whoami").getString("user_id")).isEqualTo("@" + other + ":test.local");
    assertThat(notYou.getJsonObject("whoami").getString("device_id")).isEqualTo("BROWSERDEV3");
    assertThat(notYou.getJsonObject("expired").getInteger("status")).isEqualTo(400);
    assertThat(notYou.getJsonObject("expired").getString("heading")).isEqualTo("This sign-in request has expired");

    JsonObject refusals = r.getJsonObject("refusals");
    assertThat(refusals.getJsonObject("locked").getInteger("status")).isEqualTo(403);
    assertThat(refusals.getJsonObject("locked").getString("heading")).isEqualTo("Account locked");
    JsonArray guessing = refusals.getJsonArray("guessing");
    assertThat(guessing.getJsonObject(0).getInteger("status")).isEqualTo(401);
    assertThat(guessing.getJsonObject(guessing.size() - 1).getInteger("status")).isEqualTo(429);
    assertThat(guessing.getJsonObject(guessing.size() - 1).getString("alert")).startsWith("Too many failed attempts");
    assertThat(refusals.getJsonObject("tooLarge").getInteger("status")).isEqualTo(413);
    assertThat(refusals.getJsonObject("tooLarge").getString("heading")).isEqualTo("Too much data");

    // Self-registration (on for this node): prompt=create leads to the sign-up page.
    assertThat(r.getString("signedOutForSignUp")).isEqualTo("/login");
    JsonObject signUp = r.getJsonObject("signUp");
    assertThat(signUp.getBoolean("offered")).isTrue();
    assertThat(signUp.getJsonObject("page").getString("path")).isEqualTo("/register");
    assertThat(signUp.getJsonObject("form").getBoolean("csrf")).isTrue();
    assertThat(signUp.getJsonObject("mismatch").getInteger("status")).isEqualTo(400);
    assertThat(signUp.getJsonObject("mismatch").getString("alert")).isEqualTo("The two passwords differ.");
    assertThat(signUp.getJsonObject("mismatch").getString("usernameKept")).isEqualTo(newcomer);
    assertThat(signUp.getJsonObject("consent").getString("text")).contains("Signed in as @" + newcomer + ":test.local");
    assertThat(signUp.getJsonObject("whoami").getString("user_id")).isEqualTo("@" + newcomer + ":test.local");
    assertThat(signUp.getJsonObject("whoami").getString("device_id")).isEqualTo("NEWCOMERDEV");
  }

  @Test
  void deviceLinkPageApprovesAndDenies() throws Exception {
    String user = newUser("linker", false);
    JsonObject r = run("browser-device-link.mjs", user, Map.of("GATEHOUSE_CLIENT_NAME", "Chromium QR Device"));
    String userId = "@" + user + ":test.local";

    JsonObject approve = r.getJsonObject("approve");
    assertThat(approve.getJsonObject("grant").getString("verificationUri")).isEqualTo(baseUrl + "/link");
    assertThat(approve.getJsonObject("codeForm").getString("heading")).isEqualTo("Link a device");
    assertThat(approve.getJsonObject("codeForm").getJsonObject("form").getBoolean("csrf")).isTrue();
    assertThat(approve.getJsonObject("wrongCode").getInteger("status")).isEqualTo(400);
    assertThat(approve.getJsonObject("wrongCode").getString("alert"))
        .isEqualTo("That code is not valid or has expired.");
    // The right code (typed in lower case, without the dash) leads to the sign-in page first.
    assertThat(approve.getJsonObject("afterCode").getString("path")).isEqualTo("/login");
    JsonObject confirm = approve.getJsonObject("confirm");
    assertThat(confirm.getString("path")).isEqualTo("/link/confirm");
    assertThat(confirm.getString("text"))
        .contains("Signed in as " + userId, "Chromium QR Device", "https://qr.example.org/");
    JsonObject rows = confirm.getJsonObject("rows");
    assertThat(rows.getString("Device ID")).isEqualTo("LINKEDDEV01");
    assertThat(rows.getString("Asked from")).isEqualTo("127.0.0.1");
    assertThat(rows.getString("Device software")).isEqualTo("GatehouseQrTest/1.0 (new device)");
    assertThat(rows.getString("Code")).isEqualTo(approve.getString("userCode"));
    assertThat(confirm.getJsonObject("approveForm").getString("method")).isEqualTo("post");
    assertThat(confirm.getJsonObject("approveForm").getBoolean("csrf")).isTrue();
    assertThat(approve.getJsonObject("approved").getString("heading")).isEqualTo("Device approved");
    // The device's poll got tokens for that device.
    JsonObject device = approve.getJsonObject("device");
    assertThat(device.getInteger("status")).isEqualTo(200);
    assertThat(list(device, "errorsWhilePolling")).allMatch("authorization_pending"::equals);
    assertThat(approve.getJsonObject("whoami").getString("user_id")).isEqualTo(userId);
    assertThat(approve.getJsonObject("whoami").getString("device_id")).isEqualTo("LINKEDDEV01");
    assertThat(approve.getJsonObject("deviceRead").getInteger("status")).isEqualTo(200);
    assertThat(approve.getString("confirmAfterDecision")).isEqualTo("/link");

    // verification_uri_complete carries the code: the (still signed-in) person goes straight to the question.
    JsonObject deny = r.getJsonObject("deny");
    JsonObject complete = deny.getJsonObject("completeUri");
    assertThat(complete.getString("path")).isEqualTo("/link/confirm");
    assertThat(complete.getJsonObject("rows").getString("Code")).isEqualTo(complete.getString("userCode"));
    assertThat(complete.getJsonObject("rows").getString("Device ID")).isEqualTo("LINKEDDEV02");
    assertThat(deny.getJsonObject("denied").getString("heading")).isEqualTo("Request denied");
    assertThat(deny.getJsonObject("deniedDevice").getInteger("status")).isEqualTo(400);
    assertThat(deny.getJsonObject("deniedDevice").getString("error")).isEqualTo("access_denied");
  }

  @Test
  void accountPageEveryAction() throws Exception {
    String user = newUser("account", false);
    JsonObject r = run("browser-account-page.mjs", user, Map.of("GATEHOUSE_CLIENT_NAME", "Chromium Account App"));
    String userId = "@" + user + ":test.local";
    Map<String, Object> allValid = Map.of("ACCOUNTDEV1", 200, "ACCOUNTDEV2", 200, "ACCOUNTDEV3", 200);

    assertThat(r.getJsonObject("metadata").getString("accountManagementUri")).isEqualTo(baseUrl + "/account");
    assertThat(r.getJsonObject("firstVisit").getString("path")).isEqualTo("/login");
    assertThat(r.getJsonObject("profile").getString("path")).isEqualTo("/account");
    assertThat(r.getJsonObject("profile").getString("text")).contains("Signed in as " + userId);
    assertThat(r.getString("profileAction")).isEqualTo("Your account");
    assertThat(r.getJsonObject("tokensAtStart").getMap()).isEqualTo(allValid);

    for (String action : List.of("org.matrix.sessions_list", "org.matrix.devices_list")) {
      assertThat(list(r.getJsonObject("lists").getJsonObject(action), "devices")).as(action)
          .containsExactlyInAnyOrder("ACCOUNTDEV1", "ACCOUNTDEV2", "ACCOUNTDEV3");
    }
    assertThat(r.getJsonObject("clickedDevice").getString("url"))
        .isEqualTo("?action=org.matrix.session_view&device_id=ACCOUNTDEV1");
    assertThat(r.getJsonObject("clickedDevice").getString("text")).contains("ACCOUNTDEV1");
    for (String action : List.of("org.matrix.session_view", "org.matrix.device_view")) {
      JsonObject rows = r.getJsonObject("views").getJsonObject(action).getJsonObject("rows");
      assertThat(rows.getString("Device ID")).as(action).isEqualTo("ACCOUNTDEV2");
      assertThat(rows.getString("Signed in")).as(action).endsWith("with Chromium Account App");
    }

    // Signing a device out: explained first (a GET changes nothing), done by the POST with the CSRF token.
    JsonObject sessionEnd = r.getJsonObject("sessionEnd");
    assertThat(sessionEnd.getJsonObject("confirmation").getString("text")).contains("ends its sessions");
    assertThat(sessionEnd.getJsonObject("form").getString("method")).isEqualTo("post");
    assertThat(sessionEnd.getJsonObject("form").getBoolean("csrf")).isTrue();
    assertThat(sessionEnd.getJsonObject("tokensAfterViewing").getMap()).isEqualTo(allValid);
    assertThat(sessionEnd.getJsonObject("result").getString("heading")).isEqualTo("Device signed out");
    assertThat(sessionEnd.getJsonObject("tokensAfter").getMap())
        .isEqualTo(Map.of("ACCOUNTDEV1", 401, "ACCOUNTDEV2", 200, "ACCOUNTDEV3", 200));
    // Another site's form, sent with the person's cookie but without the token, is refused.
    JsonObject hostile = r.getJsonObject("hostile");
    assertThat(hostile.getJsonObject("page").getInteger("status")).isEqualTo(403);
    assertThat(hostile.getJsonObject("tokensAfter").getInteger("ACCOUNTDEV2")).isEqualTo(200);
    JsonObject deviceDelete = r.getJsonObject("deviceDelete");
    assertThat(deviceDelete.getJsonObject("confirmation").getString("text")).contains("ends its sessions");
    assertThat(deviceDelete.getJsonObject("tokensAfter").getMap())
        .isEqualTo(Map.of("ACCOUNTDEV1", 401, "ACCOUNTDEV2", 401, "ACCOUNTDEV3", 200));

    // Signed out of the browser, the deactivation link needs the password again, then comes back to it.
    assertThat(r.getJsonObject("signedOut").getString("path")).isEqualTo("/login");
    assertThat(r.getJsonObject("deactivateSignedOut").getString("path")).isEqualTo("/login");
    JsonObject deactivate = r.getJsonObject("deactivate");
    assertThat(deactivate.getJsonObject("confirmation").getJsonObject("query").getString("action"))
        .isEqualTo("org.matrix.account_deactivate");
    assertThat(deactivate.getJsonObject("confirmation").getString("text")).contains("cannot be undone");
    assertThat(deactivate.getJsonObject("form").getBoolean("csrf")).isTrue();
    assertThat(deactivate.getJsonObject("mistyped").getInteger("status")).isEqualTo(400);
    assertThat(deactivate.getJsonObject("mistyped").getString("alert"))
        .isEqualTo("Type your user ID exactly to confirm.");
    assertThat(deactivate.getJsonObject("tokensAfterMistyped").getInteger("ACCOUNTDEV3")).isEqualTo(200);
    assertThat(deactivate.getJsonObject("result").getString("heading")).isEqualTo("Account deactivated");
    assertThat(deactivate.getJsonObject("tokensAfter").getMap())
        .isEqualTo(Map.of("ACCOUNTDEV1", 401, "ACCOUNTDEV2", 401, "ACCOUNTDEV3", 401));
    JsonObject after = r.getJsonObject("afterDeactivation");
    assertThat(after.getString("page")).isEqualTo("/login");
    assertThat(after.getJsonObject("signIn").getInteger("status")).isEqualTo(401);
    assertThat(after.getJsonObject("signIn").getString("alert")).isEqualTo("Wrong username or password.");
  }

  @Test
  void crossSigningResetApprovedInTheBrowserOpensOneSingleUseWindow() throws Exception {
    String user = newUser("reset", false);
    JsonObject r = run("browser-cross-signing-reset.mjs", user, Map.of("GATEHOUSE_HOMESERVER_SECRET",
        TestNodes.INTROSPECTION_SECRET, "GATEHOUSE_SERVER_NAME", "test.local"));

    JsonObject before = r.getJsonObject("before");
    assertThat(before.getJsonObject("status").getJsonObject("body").getBoolean("approved")).isFalse();
    assertThat(before.getJsonObject("consume").getInteger("status")).isEqualTo(404);
    assertThat(r.getJsonObject("signInFirst").getString("path")).isEqualTo("/login");
    JsonObject confirmation = r.getJsonObject("confirmation");
    assertThat(confirmation.getJsonObject("query").getString("action")).isEqualTo("org.matrix.cross_signing_reset");
    assertThat(confirmation.getString("text")).contains("cross-signing keys", "within 10 minutes");
    assertThat(confirmation.getJsonObject("form").getString("method")).isEqualTo("post");
    assertThat(confirmation.getJsonObject("form").getBoolean("csrf")).isTrue();
    // Looking at the page approved nothing.
    assertThat(r.getJsonObject("afterViewing").getJsonObject("body").getBoolean("approved")).isFalse();
    assertThat(r.getJsonObject("approved").getString("heading")).isEqualTo("Reset approved");
    assertThat(r.getJsonObject("approved").getString("text")).contains("for one reset only");

    JsonObject after = r.getJsonObject("after");
    assertThat(after.getJsonObject("wrongSecret").getInteger("status")).isEqualTo(401);
    JsonObject open = after.getJsonObject("status").getJsonObject("body");
    assertThat(open.getBoolean("approved")).isTrue();
    assertThat(open.getLong("expires_in_ms")).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(10).toMillis());
    assertThat(after.getJsonObject("consume").getJsonObject("body").getBoolean("consumed")).isTrue();
    assertThat(after.getJsonObject("consumeAgain").getInteger("status")).isEqualTo(404);
    assertThat(after.getJsonObject("statusAfterConsume").getJsonObject("body").getBoolean("approved")).isFalse();
  }
}
