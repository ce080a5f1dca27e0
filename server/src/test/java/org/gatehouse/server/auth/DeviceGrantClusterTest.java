package org.gatehouse.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gatehouse.common.auth.AuthAddresses;
import org.gatehouse.common.testing.TestBrowser;
import org.gatehouse.server.testing.TestNodes;
import org.junit.jupiter.api.Test;

/** A QR-login poll held on one node is answered the moment the user approves on another. */
class DeviceGrantClusterTest {
  @Test
  void approvalOnOneNodeWakesAPollOnTheOther() throws Exception {
    Vertx vertx = Vertx.vertx();
    WebClient http = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    try (TestNodes nodes = TestNodes.start(2)) {
      nodes.node(0).vertx().eventBus().request(AuthAddresses.ACCOUNT_CREATE, new JsonObject().put("localpart", "qruser")
          .put("password", "correct horse battery")).await(30, TimeUnit.SECONDS);
      String client = http.postAbs(nodes.url(0) + "/oauth2/registration").sendJsonObject(new JsonObject()
              .put("client_uri", "https://qr.example.org/").put("token_endpoint_auth_method", "none")
              .put("grant_types", new JsonArray().add("urn:ietf:params:oauth:grant-type:device_code")))
          .await(10, TimeUnit.SECONDS).bodyAsJsonObject().getString("client_id");
      JsonObject started = http.postAbs(nodes.url(0) + "/oauth2/device").sendForm(MultiMap.caseInsensitiveMultiMap()
              .add("client_id", client).add("scope", "urn:matrix:client:api:* urn:matrix:client:device:CLUSTERQR01"))
          .await(10, TimeUnit.SECONDS).bodyAsJsonObject();

      // The person approves on node 1 (signs in there first).
      TestBrowser browser = new TestBrowser(http, nodes.url(1));
      browser.get("/link?code=" + started.getString("user_code"));
      String login = browser.get(browser.get("/link/confirm").getHeader("Location")).bodyAsString();
      browser.post("/login", MultiMap.caseInsensitiveMultiMap().add("csrf", csrf(login)).add("next", "/link/confirm")
          .add("username", "qruser").add("password", "correct horse battery"));
      String confirm = browser.get("/link/confirm").bodyAsString();

      // The new device polls node 0 and is held there (the interval is 5 s).
      long begun = System.nanoTime();
      Future<HttpResponse<Buffer>> poll = http.postAbs(nodes.url(0) + "/oauth2/token").sendForm(
          MultiMap.caseInsensitiveMultiMap().add("grant_type", "urn:ietf:params:oauth:grant-type:device_code")
              .add("device_code", started.getString("device_code")).add("client_id", client));
      Thread.sleep(300);
      assertThat(poll.isComplete()).isFalse();
      assertThat(browser.post("/link/confirm", MultiMap.caseInsensitiveMultiMap().add("csrf", csrf(confirm))
          .add("action", "approve")).statusCode()).isEqualTo(200);
      HttpResponse<Buffer> tokens = poll.await(10, TimeUnit.SECONDS);
      assertThat(tokens.statusCode()).as(tokens.bodyAsString()).isEqualTo(200);
      assertThat((System.nanoTime() - begun) / 1_000_000).isLessThan(3000);
    } finally {
      vertx.close().await();
    }
  }

  private static String csrf(String html) {
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"").matcher(html);
    return m.find() ? m.group(1) : null;
  }
}
