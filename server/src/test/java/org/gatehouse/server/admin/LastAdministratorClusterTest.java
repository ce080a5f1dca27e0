package org.gatehouse.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gatehouse.common.auth.AuthAddresses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two administrators, each on its own node, remove each other through the admin API at the same moment (review
 * finding 15): the server keeps one administrator, whichever request is served first.
 */
class LastAdministratorClusterTest extends TwoNodes {
  static final String API = "/_gatehouse/admin/v1/users/";
  static final String ALICE = "@alice:" + SERVER;
  static final String BOB = "@bob:" + SERVER;

  String aliceToken;
  String bobToken;

  @BeforeAll
  void start() throws Exception {
    aliceToken = administrator(0, "alice");
    bobToken = administrator(1, "bob");
  }

  /** Straight through the auth module, as the command line would. */
  private void setAdmin(String userId, boolean admin) throws Exception {
    nodes.node(0).vertx().eventBus().request(AuthAddresses.ACCOUNT_SET_ADMIN,
        new JsonObject().put("user_id", userId).put("admin", admin)).await(30, TimeUnit.SECONDS);
  }

  private Future<HttpResponse<Buffer>> call(int node, String token, String userId, String operation, JsonObject body) {
    return request(node, operation.equals("/admin") ? HttpMethod.PUT : HttpMethod.POST, API + enc(userId) + operation,
        token, body);
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
