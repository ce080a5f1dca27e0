package org.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gatehouse.admin.testing.AdminServer.ALICE;
import static org.gatehouse.admin.testing.AdminServer.MOD;
import static org.gatehouse.admin.testing.AdminServer.ROOT;
import static org.gatehouse.admin.testing.AdminServer.ROOT_OPENID_ONLY;
import static org.gatehouse.admin.testing.AdminServer.ROOT_WITHOUT_ADMIN_SCOPE;
import static org.gatehouse.admin.testing.AdminServer.assertError;
import static org.gatehouse.admin.testing.AdminServer.ok;
import static org.gatehouse.admin.testing.AdminServer.path;
import static org.gatehouse.admin.testing.FakeAuth.userId;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gatehouse.admin.testing.AdminServer;
import org.gatehouse.admin.testing.FakeAuth;
import org.gatehouse.common.auth.SessionInfo;
import org.gatehouse.common.http.MatrixError;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admin API for tooling: every operation, the gate before everything, contract validation as Matrix errors. */
@ExtendWith(VertxExtension.class)
class AdminApiTest {
  static final String API = "/_gatehouse/admin/v1";

  static AdminServer admin;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    admin = new AdminServer(vertx).withAdministratorsAndAlice();
    for (int i = 0; i < 30; i++) {
      admin.auth.user(String.format("u%02d", i), false);
    }
    admin.start();
  }

  private static HttpResponse<Buffer> call(HttpMethod method, String path, String token, String body) {
    return admin.send(method, API + path, token, body);
  }

  private static void restrict(String user, String kind) {
    String field = kind.equals("suspend") ? "suspended" : "locked";
    ok(admin.put("/_matrix/client/v1/admin/" + kind + "/" + path(userId(user)), ROOT, new JsonObject().put(field, true)));
  }

  @Test
  void theContractIsServedWithThisNodesUrl() {
    HttpResponse<Buffer> json = admin.get(API + "/openapi.json", null);
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.getHeader("Content-Type")).isEqualTo("application/json");
    JsonObject contract = json.bodyAsJsonObject();
    assertThat(contract.getString("openapi")).isEqualTo("3.1.0");
    assertThat(contract.getJsonArray("servers").getJsonObject(0).getString("url"))
        .isEqualTo(admin.server().baseUrl() + "/_gatehouse/admin/v1");
    assertThat(contract.getJsonObject("paths").fieldNames()).contains("/users", "/users/{userId}", "/audit");
    HttpResponse<Buffer> yaml = admin.get(API + "/openapi.yaml", null);
    assertThat(yaml.statusCode()).isEqualTo(200);
    assertThat(yaml.bodyAsString()).startsWith("openapi: 3.1.0")
        .contains("url: " + admin.server().baseUrl() + "/_gatehouse/admin/v1");
  }

  @Test
  void everyOperationRefusesNonAdministratorsBeforeValidationAndLookup() {
    int before = admin.auth.accountCalls.size();
    String bob = path(userId("u01"));
    List<HttpResponse<Buffer>> answers = List.of(
        call(HttpMethod.GET, "/users", ALICE, null),
        call(HttpMethod.GET, "/users?limit=0&status=bogus", ALICE, null),
        call(HttpMethod.POST, "/users", ALICE, "{\"localpart\": \"x1\"}"),
        call(HttpMethod.POST, "/users", ALICE, "{nope"),
        call(HttpMethod.GET, "/users/" + bob, ALICE, null),
        call(HttpMethod.GET, "/users/" + path(userId("nobody")), ALICE, null),
        call(HttpMethod.GET, "/users/not-an-id", ALICE, null),
        call(HttpMethod.PUT, "/users/" + bob + "/admin", ALICE, "{\"admin\": true}"),
        call(HttpMethod.POST, "/users/" + bob + "/deactivate", ALICE, null),
        call(HttpMethod.GET, "/users/" + bob + "/sessions", ALICE, null),
        call(HttpMethod.DELETE, "/users/" + bob + "/sessions/s1", ALICE, null),
        call(HttpMethod.GET, "/users/" + bob + "/devices", ALICE, null),
        call(HttpMethod.GET, "/audit", ALICE, null),
        call(HttpMethod.POST, "/appservices/reload", ALICE, null),
        call(HttpMethod.GET, "/no/such/operation", ALICE, null));
    for (HttpResponse<Buffer> answer : answers) {
      assertError(answer, 403, "M_FORBIDDEN");
      assertThat(answer.body()).isEqualTo(answers.get(0).body());
    }
    assertError(call(HttpMethod.GET, "/users", null, null), 401, "M_MISSING_TOKEN");
    assertError(call(HttpMethod.GET, "/users/" + bob, "wrong", null), 401, "M_UNKNOWN_TOKEN");
    assertThat(admin.auth.accountCalls.size()).as("no account was looked up").isEqualTo(before);
  }

  @Test
  void aThirdPartyAppAnAdministratorSignedIntoWithoutTheAdminScopeGetsNoAdminPowers() {
    int before = admin.auth.accountCalls.size();
    String bob = path(userId("u01"));
    HttpResponse<Buffer> refusedToAnyone = call(HttpMethod.GET, "/users", ALICE, null);
    List<HttpResponse<Buffer>> answers = List.of(
        call(HttpMethod.GET, "/users", ROOT_WITHOUT_ADMIN_SCOPE, null),
        call(HttpMethod.POST, "/users", ROOT_WITHOUT_ADMIN_SCOPE, "{\"localpart\": \"sneaky\", \"admin\": true}"),
        call(HttpMethod.PUT, "/users/" + bob + "/admin", ROOT_WITHOUT_ADMIN_SCOPE, "{\"admin\": true}"),
        call(HttpMethod.POST, "/users/" + bob + "/deactivate", ROOT_WITHOUT_ADMIN_SCOPE, null),
        call(HttpMethod.GET, "/users/" + bob + "/devices", ROOT_WITHOUT_ADMIN_SCOPE, null),
        call(HttpMethod.DELETE, "/users/" + bob + "/sessions/s1", ROOT_WITHOUT_ADMIN_SCOPE, null),
        call(HttpMethod.POST, "/appservices/reload", ROOT_WITHOUT_ADMIN_SCOPE, null));
    for (HttpResponse<Buffer> answer : answers) {
      assertError(answer, 403, "M_FORBIDDEN");
      assertThat(answer.body()).as("the same answer as for any non-administrator").isEqualTo(refusedToAnyone.body());
    }
    assertThat(admin.auth.accountCalls.size()).as("no account was looked up or changed").isEqualTo(before);
    assertThat(admin.auth.account(userId("u01")).admin()).isFalse();
  }

  @Test
  void aTokenGrantedOnlyOpenidIsNoMatrixTokenEvenAnAdministrators() {
    HttpResponse<Buffer> answer = call(HttpMethod.GET, "/users", ROOT_OPENID_ONLY, null);
    assertError(answer, 401, "M_UNKNOWN_TOKEN");
    assertThat(answer.bodyAsJsonObject().getString("error")).isEqualTo("Token doesn't grant access to the Matrix C-S API");
    assertThat(answer.bodyAsJsonObject().getBoolean("soft_logout")).isFalse();
    assertError(call(HttpMethod.POST, "/users", ROOT_OPENID_ONLY, "{\"localpart\": \"sneaky2\"}"), 401,
        "M_UNKNOWN_TOKEN");
  }

  @Test
  void browserConsolesMayCallFromAnotherOrigin() {
    HttpResponse<Buffer> preflight = admin.send(HttpMethod.OPTIONS, API + "/users", null, null);
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.getHeader("Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(preflight.getHeader("Access-Control-Allow-Headers")).contains("Authorization");
  }

  @Test
  void unknownPathsAndMethodsAreMatrixErrors() {
    assertError(call(HttpMethod.GET, "/no/such/operation", ROOT, null), 404, "M_UNRECOGNIZED");
    assertError(call(HttpMethod.PATCH, "/users", ROOT, "{}"), 405, "M_UNRECOGNIZED");
  }

  @Test
  void createUser() {
    HttpResponse<Buffer> created = call(HttpMethod.POST, "/users", ROOT,
        "{\"localpart\": \"newbie\", \"password\": \"correct horse\", \"admin\": false}");
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject()).isEqualTo(new JsonObject().put("user_id", userId("newbie"))
        .put("admin", false).put("created_ts", 5_000).put("deactivated", false).putNull("deactivated_ts")
        .putNull("appservice_id").putNull("display_name").put("suspended", false).put("locked", false));
    assertThat(admin.auth.account(userId("newbie"))).isNotNull();
    assertThat(admin.auditRows(userId("newbie"))).extracting(r -> r.getString("action") + " " + r.getString("actor"))
        .containsExactly("create_user " + userId("root"));

    // Auth's refusals come back as they are.
    assertError(call(HttpMethod.POST, "/users", ROOT, "{\"localpart\": \"newbie\"}"), 400, "M_USER_IN_USE");
    assertError(call(HttpMethod.POST, "/users", ROOT, "{\"localpart\": \"x2\", \"password\": \"short\"}"),
        400, "M_WEAK_PASSWORD");
    // A body without Content-Type is read as JSON; any administrator may create administrators.
    HttpResponse<Buffer> untyped = admin.send(HttpMethod.POST, API + "/users", MOD,
        "{\"localpart\": \"boss\", \"admin\": true}", null);
    assertThat(untyped.statusCode()).as(untyped.bodyAsString()).isEqualTo(201);
    assertThat(untyped.bodyAsJsonObject().getBoolean("admin")).isTrue();
  }

  @Test
  void requestsThatDoNotMatchTheContractAreMatrixErrors() {
    assertError(call(HttpMethod.POST, "/users", ROOT, null), 400, "M_NOT_JSON");
    assertError(call(HttpMethod.POST, "/users", ROOT, "{nope"), 400, "M_NOT_JSON");
    assertError(admin.send(HttpMethod.POST, API + "/users", ROOT, "{\"localpart\": \"x3\"}", "text/plain"),
        400, "M_NOT_JSON");
    assertError(call(HttpMethod.POST, "/users", ROOT, "{}"), 400, "M_MISSING_PARAM");
    assertError(call(HttpMethod.POST, "/users", ROOT, "{\"password\": \"long enough\"}"), 400, "M_MISSING_PARAM");
    assertError(call(HttpMethod.POST, "/users", ROOT, "{\"localpart\": 7}"), 400, "M_BAD_JSON");
    assertError(call(HttpMethod.POST, "/users", ROOT, "{\"localpart\": \"x4\", \"admin\": \"yes\"}"), 400, "M_BAD_JSON");
    assertError(call(HttpMethod.POST, "/users", ROOT, "[1, 2]"), 400, "M_BAD_JSON");
    assertError(call(HttpMethod.POST, "/users", ROOT,
        "{\"localpart\": \"x5\", \"password\": \"long enough\", \"password_hash\": \"$2b$xx\"}"), 400, "M_BAD_JSON");
    assertError(call(HttpMethod.PUT, "/users/" + path(userId("u02")) + "/admin", ROOT, "{}"), 400, "M_MISSING_PARAM");
    assertError(call(HttpMethod.PUT, "/users/" + path(userId("u02")) + "/admin", ROOT, "{\"admin\": 1}"), 400,
        "M_BAD_JSON");
    assertError(call(HttpMethod.POST, "/users/" + path(userId("u02")) + "/deactivate", ROOT,
        "{\"reason\": false}"), 400, "M_BAD_JSON");
    for (String query : List.of("limit=0", "limit=1001", "limit=ten", "status=bogus", "from=nobody",
        "from=%40u01%3Aelsewhere.org")) {
      assertError(call(HttpMethod.GET, "/users?" + query, ROOT, null), 400, "M_INVALID_PARAM");
    }
    for (String query : List.of("from=abc", "from=-1", "action=explode", "limit=0")) {
      assertError(call(HttpMethod.GET, "/audit?" + query, ROOT, null), 400, "M_INVALID_PARAM");
    }
    assertError(call(HttpMethod.GET, "/users/not-an-id", ROOT, null), 400, "M_INVALID_PARAM");
    assertError(call(HttpMethod.GET, "/users/" + path("@u02:elsewhere.org"), ROOT, null), 400, "M_INVALID_PARAM");
    assertThat(admin.auth.account(userId("u02")).admin()).isFalse();
    assertThat(admin.auth.account(userId("u02")).deactivated()).isFalse();
  }

  @Test
  void getUser() {
    restrict("u03", "lock");
    assertThat(ok(call(HttpMethod.GET, "/users/" + path(userId("u03")), ROOT, null)))
        .isEqualTo(new JsonObject().put("user_id", userId("u03")).put("admin", false).put("created_ts", 1_000)
            .put("deactivated", false).putNull("deactivated_ts").putNull("appservice_id").putNull("display_name").put("suspended", false)
            .put("locked", true));
    JsonObject gone = ok(call(HttpMethod.GET, "/users/" + path(userId("gone")), MOD, null));
    assertThat(gone.getBoolean("deactivated")).isTrue();
    assertThat(gone.getLong("deactivated_ts")).isEqualTo(2_000);
    assertError(call(HttpMethod.GET, "/users/" + path(userId("nobody")), ROOT, null), 404, "M_NOT_FOUND");
  }

  @Test
  void setAdmin() {
    String u04 = "/users/" + path(userId("u04")) + "/admin";
    assertThat(ok(call(HttpMethod.PUT, u04, ROOT, "{\"admin\": true, \"reason\": \"new moderator\"}"))
        .getBoolean("admin")).isTrue();
    assertThat(admin.auth.account(userId("u04")).admin()).isTrue();
    assertThat(ok(call(HttpMethod.PUT, u04, ROOT, "{\"admin\": true}")).getBoolean("admin")).isTrue();
    assertThat(ok(call(HttpMethod.PUT, u04, MOD, "{\"admin\": false}")).getBoolean("admin")).isFalse();
    assertThat(admin.auditRows(userId("u04")))
        .extracting(r -> r.getString("action") + " " + r.getString("actor") + " " + r.getString("reason"))
        .containsExactly("grant_admin " + userId("root") + " new moderator", "revoke_admin " + userId("mod") + " null");

    assertError(call(HttpMethod.PUT, "/users/" + path(userId("root")) + "/admin", ROOT, "{\"admin\": false}"),
        403, "M_FORBIDDEN");
    restrict("u05", "suspend");
    assertError(call(HttpMethod.PUT, "/users/" + path(userId("u05")) + "/admin", ROOT, "{\"admin\": true}"),
        403, "M_FORBIDDEN");
    assertThat(admin.auth.account(userId("u05")).admin()).isFalse();
    assertError(call(HttpMethod.PUT, "/users/" + path(userId("gone")) + "/admin", ROOT, "{\"admin\": true}"),
        400, "M_INVALID_PARAM");
    assertError(call(HttpMethod.PUT, "/users/" + path(userId("nobody")) + "/admin", ROOT, "{\"admin\": true}"),
        404, "M_NOT_FOUND");
  }

  @Test
  void deactivateUser() {
    restrict("u06", "lock");
    String url = "/users/" + path(userId("u06")) + "/deactivate";
    JsonObject deactivated = ok(call(HttpMethod.POST, url, ROOT, "{\"reason\": \"spam bot\"}"));
    assertThat(deactivated.getBoolean("deactivated")).isTrue();
    assertThat(deactivated.getLong("deactivated_ts")).isEqualTo(9_000);
    // The lock stays recorded; MSC4323 now answers 404 for the account.
    assertThat(deactivated.getBoolean("locked")).isTrue();
    assertError(admin.get("/_matrix/client/v1/admin/lock/" + path(userId("u06")), ROOT), 404, "M_NOT_FOUND");
    // Again: nothing changes, nothing more is audited. Without a body is fine too.
    assertThat(ok(call(HttpMethod.POST, url, ROOT, null)).getBoolean("deactivated")).isTrue();
    assertThat(admin.auditRows(userId("u06"))).extracting(r -> r.getString("action") + " " + r.getString("reason"))
        .containsExactly("lock null", "deactivate spam bot");

    assertError(call(HttpMethod.POST, "/users/" + path(userId("root")) + "/deactivate", ROOT, null), 403, "M_FORBIDDEN");
    assertError(call(HttpMethod.POST, "/users/" + path(userId("nobody")) + "/deactivate", ROOT, null), 404,
        "M_NOT_FOUND");
  }

  @Test
  void sessionsAndDevices() {
    String u07 = userId("u07");
    admin.auth.session(u07, new SessionInfo("s-new", "client-1", "Element", "DEV1", "openid", 2_000))
        .session(u07, new SessionInfo("s-old", "client-2", null, "DEV2", "openid", 1_000))
        .device(u07, new JsonObject().put("device_id", "DEV1").put("display_name", "Phone").put("created_ts", 1_500));
    JsonObject sessions = ok(call(HttpMethod.GET, "/users/" + path(u07) + "/sessions", ROOT, null));
    assertThat(sessions.getJsonArray("sessions")).hasSize(2);
    assertThat(sessions.getJsonArray("sessions").getJsonObject(0)).isEqualTo(
        new SessionInfo("s-new", "client-1", "Element", "DEV1", "openid", 2_000).toJson());
    assertThat(ok(call(HttpMethod.GET, "/users/" + path(u07) + "/devices", MOD, null)))
        .isEqualTo(new JsonObject().put("devices", new JsonArray().add(new JsonObject().put("device_id", "DEV1")
            .put("display_name", "Phone").put("created_ts", 1_500))));
    assertThat(ok(call(HttpMethod.GET, "/users/" + path(userId("u08")) + "/devices", ROOT, null)))
        .isEqualTo(new JsonObject().put("devices", new JsonArray()));

    assertThat(ok(call(HttpMethod.DELETE, "/users/" + path(u07) + "/sessions/s-old", ROOT, null)))
        .isEqualTo(new JsonObject());
    assertThat(admin.auth.sessions(u07)).extracting(SessionInfo::sessionId).containsExactly("s-new");
    assertError(call(HttpMethod.DELETE, "/users/" + path(u07) + "/sessions/s-old", ROOT, null), 404, "M_NOT_FOUND");
    assertThat(admin.auditRows(u07)).extracting(r -> r.getString("action") + " " + r.getJsonObject("details"))
        .containsExactly("end_session {\"session_id\":\"s-old\"}");

    assertError(call(HttpMethod.GET, "/users/" + path(userId("nobody")) + "/sessions", ROOT, null), 404, "M_NOT_FOUND");
    assertError(call(HttpMethod.GET, "/users/" + path(userId("nobody")) + "/devices", ROOT, null), 404, "M_NOT_FOUND");
  }

  @Test
  void auditLogIsPagedNewestFirstAndFiltered() {
    for (String kind : List.of("suspend", "lock")) {
      restrict("u09", kind);
    }
    ok(admin.put("/_matrix/client/v1/admin/lock/" + path(userId("u09")), MOD, new JsonObject().put("locked", false)
        .put("org.gatehouse.reason", "appeal accepted")));
    JsonObject page = ok(call(HttpMethod.GET, "/audit?target=" + path(userId("u09")) + "&limit=2", ROOT, null));
    JsonArray entries = page.getJsonArray("entries");
    assertThat(entries).hasSize(2);
    JsonObject newest = entries.getJsonObject(0);
    assertThat(newest.getString("action")).isEqualTo("unlock");
    assertThat(newest.getString("actor")).isEqualTo(userId("mod"));
    assertThat(newest.getString("target")).isEqualTo(userId("u09"));
    assertThat(newest.getString("reason")).isEqualTo("appeal accepted");
    assertThat(newest.getLong("ts")).isEqualTo(admin.clock.millis());
    assertThat(newest.getJsonObject("details").getLong("version")).isPositive();
    assertThat(entries.getJsonObject(1).getString("action")).isEqualTo("lock");
    JsonObject rest = ok(call(HttpMethod.GET, "/audit?target=" + path(userId("u09")) + "&limit=2&from="
        + page.getString("next_token"), ROOT, null));
    assertThat(rest.getJsonArray("entries")).hasSize(1);
    assertThat(rest.getJsonArray("entries").getJsonObject(0).getString("action")).isEqualTo("suspend");
    assertThat(rest.containsKey("next_token")).isFalse();

    JsonObject byMod = ok(call(HttpMethod.GET, "/audit?actor=" + path(userId("mod")) + "&action=unlock", ROOT, null));
    assertThat(byMod.getJsonArray("entries")).isNotEmpty().allSatisfy(e -> {
      assertThat(((JsonObject) e).getString("actor")).isEqualTo(userId("mod"));
      assertThat(((JsonObject) e).getString("action")).isEqualTo("unlock");
    });
  }

  @Test
  void listingPagesThroughEveryStatus() {
    restrict("u10", "suspend");
    restrict("u11", "lock");
    restrict("u12", "lock");
    restrict("u12", "suspend");
    restrict("u13", "lock");
    ok(call(HttpMethod.POST, "/users/" + path(userId("u13")) + "/deactivate", ROOT, null));
    // Enough restricted accounts in a row that a filtered page takes several batches.
    for (int i = 14; i < 29; i++) {
      restrict(String.format("u%02d", i), "suspend");
    }
    for (int limit : List.of(1, 2, 3, 7, 100)) {
      assertThat(listAll(null, limit)).isEqualTo(expected(null));
      for (String status : List.of("active", "suspended", "locked", "deactivated")) {
        assertThat(listAll(status, limit)).as(status + " by " + limit).isEqualTo(expected(status));
      }
    }
    assertThat(expected("locked")).contains(userId("u11"), userId("u12")).doesNotContain(userId("u13"));
    assertThat(expected("suspended")).contains(userId("u12"), userId("u20"));
    assertThat(expected("deactivated")).contains(userId("u13"), userId("gone"));
    assertThat(expected("active")).contains(userId("u29"), userId("root")).doesNotContain(userId("u12"));

    // The users carry their restrictions.
    JsonObject first = ok(call(HttpMethod.GET, "/users?status=locked&limit=1&from=" + path(userId("u11")), ROOT, null));
    assertThat(first.getJsonArray("users").getJsonObject(0).getString("user_id")).isEqualTo(userId("u12"));
    assertThat(first.getJsonArray("users").getJsonObject(0).getBoolean("suspended")).isTrue();
    assertThat(first.getJsonArray("users").getJsonObject(0).getBoolean("locked")).isTrue();
  }

  @Test
  void aFilteredPageMayBeShortButSaysMoreFollow() {
    for (int i = 14; i < 29; i++) {
      restrict(String.format("u%02d", i), "suspend");
    }
    // From u13 on, the next active account is u29: 15 suspended ones lie between, more than ten batches of one.
    JsonObject page = ok(call(HttpMethod.GET, "/users?status=active&limit=1&from=" + path(userId("u13")), ROOT, null));
    assertThat(page.getJsonArray("users")).isEmpty();
    assertThat(page.getString("next_token")).isEqualTo(userId("u23"));
    JsonObject next = ok(call(HttpMethod.GET, "/users?status=active&limit=1&from=" + path(userId("u23")), ROOT, null));
    assertThat(next.getJsonArray("users").getJsonObject(0).getString("user_id")).isEqualTo(userId("u29"));
  }

  @Test
  void aStandaloneNodeHasNoHomeserverToReconcile() {
    HttpResponse<Buffer> refused = call(HttpMethod.POST, "/homeserver/reconcile", ROOT, null);
    assertError(refused, 404, "M_NOT_FOUND");
    assertThat(refused.bodyAsJsonObject().getString("error")).contains("homeserver");
    assertThat(ok(call(HttpMethod.GET, "/audit?action=reconcile_homeserver", ROOT, null)).getJsonArray("entries"))
        .isEmpty();
  }

  @Test
  void reloadAppservicesAndAuditIt() {
    JsonObject reloaded = ok(call(HttpMethod.POST, "/appservices/reload", ROOT, null));
    assertThat(reloaded.getJsonArray("appservices")).containsExactly("irc-bridge");
    assertThat(reloaded.getString("by")).isEqualTo(userId("root"));
    JsonObject entry = ok(call(HttpMethod.GET, "/audit?action=reload_appservices", ROOT, null))
        .getJsonArray("entries").getJsonObject(0);
    assertThat(entry.getString("actor")).isEqualTo(userId("root"));
    assertThat(entry.getValue("target")).isNull();
    assertThat(entry.getJsonObject("details").getString("digest")).isEqualTo("d1g35t");

    admin.auth.reloadFailure.set(MatrixError.invalidParam("bridge.yaml: as_token: missing"));
    HttpResponse<Buffer> refused = call(HttpMethod.POST, "/appservices/reload", ROOT, null);
    assertError(refused, 400, "M_INVALID_PARAM");
    assertThat(refused.bodyAsJsonObject().getString("error")).contains("bridge.yaml");
    assertThat(ok(call(HttpMethod.GET, "/audit?action=reload_appservices", ROOT, null)).getJsonArray("entries"))
        .hasSize(1);
  }

  @Test
  void authFailuresSurfaceAsMatrixErrors() {
    admin.auth.listFailure.set(MatrixError.unavailable("auth is restarting"));
    assertError(call(HttpMethod.GET, "/users", ROOT, null), 503, "M_UNKNOWN");
  }

  private static List<String> listAll(String status, int limit) {
    List<String> all = new ArrayList<>();
    Set<String> tokens = new HashSet<>();
    String from = null;
    do {
      String query = "/users?limit=" + limit + (status == null ? "" : "&status=" + status)
          + (from == null ? "" : "&from=" + path(from));
      JsonObject page = ok(call(HttpMethod.GET, query, ROOT, null));
      JsonArray users = page.getJsonArray("users");
      assertThat(users.size()).isLessThanOrEqualTo(limit);
      users.forEach(u -> all.add(((JsonObject) u).getString("user_id")));
      from = page.getString("next_token");
      assertThat(from == null || tokens.add(from)).as("pagination advances").isTrue();
    } while (from != null);
    return all;
  }

  /** What the listing should show, from the fake auth's accounts and the statuses it applied. */
  private static List<String> expected(String status) {
    List<String> users = new ArrayList<>();
    admin.auth.allUserIds().forEach(id -> {
      var account = admin.auth.account(id);
      var moderation = admin.auth.status(id);
      boolean matches = status == null
          || status.equals("deactivated") && account.deactivated()
          || status.equals("active") && !account.deactivated() && moderation.isDefault()
          || status.equals("suspended") && !account.deactivated() && moderation.suspended()
          || status.equals("locked") && !account.deactivated() && moderation.locked();
      if (matches) {
        users.add(id);
      }
    });
    return users;
  }
}
