package org.gatehouse.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gatehouse.common.auth.AuthAddresses;
import org.gatehouse.common.testing.OAuthTestClient;
import org.gatehouse.server.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two administrators, each on its own node, remove each other through the admin API at the same moment (review
 * finding 15): the server keeps one administrator, whichever request is served first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(VertxExtension.class)
class LastAdministratorClusterTest {
  static final String PASSWORD = "correct horse battery";
  static final String API = "/_gatehouse/admin/v1/users/";
  static final String ALICE = "@alice:test.local";
  static final String BOB = "@bob:test.local";

  TestNodes nodes;
  /** The tests' own Vert.x (for their clients), from the extension, which closes it after the class. */
  Vertx vertx;
  WebClient http;
  String aliceToken;
  String bobToken;

  @BeforeAll
  void start(Vertx vertx) throws Exception {
    nodes = TestNodes.start(2);
    this.vertx = vertx;
    http = WebClient.create(vertx);
    nodes.createUser("alice", PASSWORD);
    nodes.createUser("bob", PASSWORD);
    setAdmin(ALICE, true);
    setAdmin(BOB, true);
    aliceToken = new OAuthTestClient(vertx, nodes.url(0)).signInAsAdministrator("alice", PASSWORD).accessToken();
    bobToken = new OAuthTestClient(vertx, nodes.url(1)).signInAsAdministrator("bob", PASSWORD).accessToken();
  }

  @AfterAll
  void stop() {
    nodes.close();
  }

  /** Straight through the auth module, as the command line would. */
  private void setAdmin(String userId, boolean admin) throws Exception {
    nodes.node(0).vertx().eventBus().request(AuthAddresses.ACCOUNT_SET_ADMIN,
        new JsonObject().put("user_id", userId).put("admin", admin)).await(30, TimeUnit.SECONDS);
  }

  private Future<HttpResponse<Buffer>> call(int node, String token, String userId, String operation, JsonObject body) {
    String url = nodes.url(node) + API + URLEncoder.encode(userId, StandardCharsets.UTF_8) + operation;
    return (operation.equals("/admin") ? http.putAbs(url) : http.postAbs(url)).bearerTokenAuthentication(token)
        .sendJsonObject(body);
  }

  private static HttpResponse<Buffer> answer(Future<HttpResponse<Buffer>> sent) {
    try {
      return sent.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private boolean isActiveAdmin(String userId) throws Exception {
    JsonObject account = (JsonObject) nodes.node(1).vertx().eventBus().request(AuthAddresses.ACCOUNT_GET,
        new JsonObject().put("user_id", userId)).await(30, TimeUnit.SECONDS).body();
    return account.getBoolean("admin") && !account.getBoolean("deactivated");
  }

  /**
   * One request won; the other was refused: as removing the last administrator (403), or, arriving after the
   * winner's change, because its caller is no administrator any more (403) or, deactivated, has no valid token (401).
   */
  private static void assertOneWonOneWasRefused(List<HttpResponse<Buffer>> answers, String round) {
    assertThat(answers).as(round).extracting(HttpResponse::statusCode).containsOnlyOnce(200);
    HttpResponse<Buffer> refused = answers.stream().filter(a -> a.statusCode() != 200).findFirst().orElseThrow();
    assertThat(refused.bodyAsJsonObject().getString("errcode")).as(round + ": " + refused.bodyAsString())
        .isIn("M_FORBIDDEN", "M_UNKNOWN_TOKEN");
    assertThat(refused.statusCode()).isEqualTo(refused.bodyAsJsonObject().getString("errcode").equals("M_FORBIDDEN")
        ? 403 : 401);
  }

  @Test
  void twoAdministratorsDemotingAndThenDeactivatingEachOtherAtOnceLeaveOne() throws Exception {
    for (int round = 0; round < 5; round++) {
      setAdmin(ALICE, true);
      setAdmin(BOB, true);
      List<HttpResponse<Buffer>> answers = List.of(
          call(0, aliceToken, BOB, "/admin", new JsonObject().put("admin", false)),
          call(1, bobToken, ALICE, "/admin", new JsonObject().put("admin", false))).stream()
          .map(LastAdministratorClusterTest::answer).toList();
      assertOneWonOneWasRefused(answers, "demotion round " + round);
      assertThat(isActiveAdmin(ALICE) ^ isActiveAdmin(BOB)).as("exactly one administrator left").isTrue();
    }
    setAdmin(ALICE, true);
    setAdmin(BOB, true);
    List<Future<HttpResponse<Buffer>>> sent = List.of(call(0, aliceToken, BOB, "/deactivate", new JsonObject()),
        call(1, bobToken, ALICE, "/deactivate", new JsonObject()));
    assertOneWonOneWasRefused(sent.stream().map(LastAdministratorClusterTest::answer).toList(), "deactivation");
    assertThat(isActiveAdmin(ALICE) ^ isActiveAdmin(BOB)).as("exactly one administrator left").isTrue();
  }
}
