package org.gatehouse.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gatehouse.common.auth.AuthAddresses;
import org.gatehouse.common.testing.OAuthTestClient;
import org.gatehouse.common.testing.TestBrowser;
import org.gatehouse.server.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Two nodes behind one database and one Hazelcast cluster: any node serves any session, revocation is immediate. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthClusterTest {
  static final String PASSWORD = "correct horse battery";
  TestNodes nodes;
  Vertx vertx;
  OAuthTestClient node0;
  OAuthTestClient node1;

  @BeforeAll
  void start() {
    nodes = TestNodes.start(2);
    vertx = Vertx.vertx();
    node0 = new OAuthTestClient(vertx, nodes.url(0));
    node1 = new OAuthTestClient(vertx, nodes.url(1));
  }

  @AfterAll
  void stop() {
    nodes.close();
    vertx.close().await();
  }

  private String newUser() throws Exception {
    String localpart = "cl-" + UUID.randomUUID().toString().substring(0, 8);
    nodes.node(0).vertx().eventBus().request(AuthAddresses.ACCOUNT_CREATE, new JsonObject().put("localpart", localpart)
        .put("password", PASSWORD)).await(30, TimeUnit.SECONDS);
    return localpart;
  }

  @Test
  void revocationOnOneNodeIsRefusedOnTheOtherAtOnce() throws Exception {
    for (int round = 0; round < 5; round++) {
      OAuthTestClient.Tokens tokens = node0.signIn(newUser(), PASSWORD);
      // Node 1 has the token in its near cache...
      assertThat(node1.get("/_matrix/client/v3/account/whoami", tokens.accessToken()).statusCode()).isEqualTo(200);
      HttpResponse<Buffer> revoked = WebClient.create(vertx).postAbs(nodes.url(0) + "/oauth2/revoke")
          .sendForm(MultiMap.caseInsensitiveMultiMap().add("token", tokens.accessToken())).await(10, TimeUnit.SECONDS);
      assertThat(revoked.statusCode()).isEqualTo(200);
      // ...and the very next request after the revocation answered is refused there.
      assertThat(node1.get("/_matrix/client/v3/account/whoami", tokens.accessToken()).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void aLegacyLogoutOnOneNodeIsRefusedOnTheOtherAtOnce() throws Exception {
    WebClient http = WebClient.create(vertx);
    for (int round = 0; round < 3; round++) {
      JsonObject login = http.postAbs(nodes.url(0) + "/_matrix/client/v3/login").sendJsonObject(new JsonObject()
          .put("type", "m.login.password").put("password", PASSWORD)
          .put("identifier", new JsonObject().put("type", "m.id.user").put("user", newUser())))
          .await(10, TimeUnit.SECONDS).bodyAsJsonObject();
      String token = login.getString("access_token");
      assertThat(node1.get("/_matrix/client/v3/account/whoami", token).statusCode()).isEqualTo(200);
      HttpResponse<Buffer> logout = http.postAbs(nodes.url(0) + "/_matrix/client/v3/logout").bearerTokenAuthentication(token)
          .sendJsonObject(new JsonObject()).await(10, TimeUnit.SECONDS);
      assertThat(logout.statusCode()).isEqualTo(200);
      assertThat(node1.get("/_matrix/client/v3/account/whoami", token).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void tokensIssuedOnOneNodeRefreshOnTheOther() throws Exception {
    OAuthTestClient.Tokens tokens = node0.signIn(newUser(), PASSWORD);
    // Used twice on node 0: the first use is recorded, the second resolution sits in node 0's near cache.
    for (int i = 0; i < 2; i++) {
      assertThat(node0.get("/_matrix/client/v3/account/whoami", tokens.accessToken()).statusCode()).isEqualTo(200);
    }
    HttpResponse<Buffer> refreshed = node1.refresh(tokens, tokens.refreshToken());
    assertThat(refreshed.statusCode()).isEqualTo(200);
    assertThat(node0.get("/_matrix/client/v3/account/whoami", refreshed.bodyAsJsonObject().getString("access_token"))
        .statusCode()).isEqualTo(200);
    // The access token the refresh replaced is refused on node 0 as soon as the refresh on node 1 answered.
    assertThat(node0.get("/_matrix/client/v3/account/whoami", tokens.accessToken()).statusCode()).isEqualTo(401);
  }

  @Test
  void aSignInStartedOnOneNodeCompletesOnTheOther() throws Exception {
    String user = newUser();
    String clientId = node0.registerClient();
    WebClient http = WebClient.create(vertx, new io.vertx.ext.web.client.WebClientOptions().setFollowRedirects(false));
    // One browser, two nodes: a load balancer sends each request to whichever node it likes.
    TestBrowser browser = new TestBrowser(http, nodes.url(0));
    String authorize = "/oauth2/authorize?response_type=code&client_id=" + clientId
        + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A4000%2Fcallback&scope=urn%3Amatrix%3Aclient%3Aapi%3A*%20"
        + "urn%3Amatrix%3Aclient%3Adevice%3ACLUSTERDEV01&state=s&code_challenge="
        + org.gatehouse.auth.domain.Pkce.challengeOf("v".repeat(43)) + "&code_challenge_method=S256";
    String consent = browser.get(nodes.url(0) + authorize).getHeader("Location");
    String login = browser.get(nodes.url(1) + consent).getHeader("Location");
    String page = browser.get(nodes.url(0) + login).bodyAsString();
    HttpResponse<Buffer> signedIn = browser.post(nodes.url(1) + "/login", MultiMap.caseInsensitiveMultiMap()
        .add("csrf", hidden(page, "csrf")).add("next", hidden(page, "next")).add("username", user).add("password", PASSWORD));
    assertThat(signedIn.statusCode()).isEqualTo(303);
    String consentPage = browser.get(nodes.url(0) + signedIn.getHeader("Location")).bodyAsString();
    HttpResponse<Buffer> approved = browser.post(nodes.url(1) + "/oauth2/consent", MultiMap.caseInsensitiveMultiMap()
        .add("csrf", hidden(consentPage, "csrf")).add("id", hidden(consentPage, "id")).add("action", "allow"));
    assertThat(approved.getHeader("Location")).startsWith("http://127.0.0.1:4000/callback?code=");
    String code = approved.getHeader("Location").replaceAll(".*code=([^&]+).*", "$1");
    HttpResponse<Buffer> token = http.postAbs(nodes.url(0) + "/oauth2/token").sendForm(MultiMap.caseInsensitiveMultiMap()
        .add("grant_type", "authorization_code").add("code", code).add("client_id", clientId)
        .add("redirect_uri", "http://127.0.0.1:4000/callback").add("code_verifier", "v".repeat(43)))
        .await(10, TimeUnit.SECONDS);
    assertThat(token.statusCode()).isEqualTo(200);
  }

  @Test
  void deactivationThroughOneNodeIsInForceOnTheOther() throws Exception {
    String user = newUser();
    OAuthTestClient.Tokens tokens = node0.signIn(user, PASSWORD);
    assertThat(node1.get("/_matrix/client/v3/account/whoami", tokens.accessToken()).statusCode()).isEqualTo(200);
    nodes.node(0).vertx().eventBus().request(AuthAddresses.ACCOUNT_DEACTIVATE, new JsonObject()
        .put("user_id", "@" + user + ":test.local").put("by", "test")).await(30, TimeUnit.SECONDS);
    assertThat(node1.get("/_matrix/client/v3/account/whoami", tokens.accessToken()).statusCode()).isEqualTo(401);
  }

  private static String hidden(String html, String name) {
    Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
    return m.find() ? m.group(1).replace("&amp;", "&") : null;
  }
}
