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
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.gatehouse.admin.testing.AdminServer;
import org.gatehouse.admin.testing.FakeAuth;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** MSC4323 as tooling sees it: the error matrix on both prefixes, anti-enumeration, bodies, the audit log. */
@ExtendWith(VertxExtension.class)
class Msc4323Test {
  static final String STABLE = "/_matrix/client/v1/admin/";
  static final String UNSTABLE = "/_matrix/client/unstable/uk.timedout.msc4323/admin/";

  static AdminServer admin;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    admin = new AdminServer(vertx).withAdministratorsAndAlice();
    admin.auth.user("other-admin", true);
    for (String target : List.of("bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "ken")) {
      for (String kind : List.of("suspend", "lock")) {
        for (String prefix : List.of("s", "u")) {
          admin.auth.user(target + "-" + kind + "-" + prefix, false);
        }
      }
      admin.auth.user(target, false);
    }
    admin.auth.user("slash/name", false);
    admin.start();
  }

  /** Both prefixes, both restrictions. */
  static Stream<Arguments> endpoints() {
    return Stream.of(Arguments.of(STABLE, "suspend", "suspended"), Arguments.of(STABLE, "lock", "locked"),
        Arguments.of(UNSTABLE, "suspend", "suspended"), Arguments.of(UNSTABLE, "lock", "locked"));
  }

  private static String target(String prefix, String kind, String name) {
    return userId(name + "-" + kind + "-" + (prefix.equals(STABLE) ? "s" : "u"));
  }

  private static HttpResponse<Buffer> call(HttpMethod method, String url, String token, String field) {
    return method == HttpMethod.GET ? admin.get(url, token) : admin.put(url, token, new JsonObject().put(field, true));
  }

  @ParameterizedTest
  @MethodSource("endpoints")
  void errorMatrix(String prefix, String kind, String field) {
    for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.PUT)) {
      String base = prefix + kind + "/";
      // 400: not a user of this server, or not a user ID at all.
      for (String bad : List.of("@bob:elsewhere.org", "@bob:test.local:8448", "bob", "@bob", "@:test.local",
          "@bo:b:x", "@bo b:test.local", "@bob:")) {
        assertError(call(method, base + path(bad), ROOT, field), 400, "M_INVALID_PARAM");
      }
      // 403: yourself, or another administrator.
      assertError(call(method, base + path(userId("root")), ROOT, field), 403, "M_FORBIDDEN");
      assertError(call(method, base + path(userId("mod")), MOD, field), 403, "M_FORBIDDEN");
      assertError(call(method, base + path(userId("other-admin")), ROOT, field), 403, "M_FORBIDDEN");
      assertError(call(method, base + path(userId("root")), MOD, field), 403, "M_FORBIDDEN");
      // 404: unknown or deactivated.
      assertError(call(method, base + path(userId("nobody")), ROOT, field), 404, "M_NOT_FOUND");
      assertError(call(method, base + path(userId("gone")), ROOT, field), 404, "M_NOT_FOUND");
      // 401 without a token.
      assertError(call(method, base + path(userId("bob")), null, field), 401, "M_MISSING_TOKEN");
      assertError(call(method, base + path(userId("bob")), "no-such-token", field), 401, "M_UNKNOWN_TOKEN");
    }
  }

  @ParameterizedTest
  @MethodSource("endpoints")
  void nonAdministratorsLearnNothingAboutWhoExists(String prefix, String kind, String field) {
    int callsBefore = admin.auth.accountCalls.size();
    for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.PUT)) {
      List<HttpResponse<Buffer>> answers = new ArrayList<>();
      for (String target : List.of(userId("bob"), userId("nobody"), userId("gone"), userId("other-admin"),
          userId("alice"), "@bob:elsewhere.org", "not-an-id")) {
        answers.add(call(method, prefix + kind + "/" + path(target), ALICE, field));
      }
      for (HttpResponse<Buffer> answer : answers) {
        assertError(answer, 403, "M_FORBIDDEN");
        assertThat(answer.body()).isEqualTo(answers.get(0).body());
        assertThat(new java.util.TreeSet<>(answer.headers().names()))
            .isEqualTo(new java.util.TreeSet<>(answers.get(0).headers().names()));
      }
    }
    // A bad body does not change the answer either: the caller is refused first.
    assertThat(admin.send(HttpMethod.PUT, prefix + kind + "/" + path(userId("bob")), ALICE, "{nope").body())
        .isEqualTo(admin.send(HttpMethod.PUT, prefix + kind + "/" + path(userId("nobody")), ALICE, "{}").body());
    assertThat(admin.auth.accountCalls.size()).as("no account was looked up").isEqualTo(callsBefore);
  }

  @ParameterizedTest
  @MethodSource("endpoints")
  void roundTripWithNamespacedFieldsAndAudit(String prefix, String kind, String field) {
    String target = target(prefix, kind, "bob");
    String url = prefix + kind + "/" + path(target);
    assertThat(ok(admin.get(url, ROOT))).isEqualTo(new JsonObject().put(field, false));

    JsonObject put = ok(admin.put(url, ROOT, new JsonObject().put(field, true).put("org.gatehouse.reason", "spam wave")));
    JsonObject expected = new JsonObject().put(field, true).put("org.gatehouse.updated_by", userId("root"))
        .put("org.gatehouse.updated_ts", admin.clock.millis()).put("org.gatehouse.reason", "spam wave");
    assertThat(put).isEqualTo(expected);
    assertThat(ok(admin.get(url, ROOT))).isEqualTo(expected);
    assertThat(ok(admin.get(url, MOD))).isEqualTo(expected);
    assertThat(admin.auth.status(target).suspended()).isEqualTo(kind.equals("suspend"));
    assertThat(admin.auth.status(target).locked()).isEqualTo(kind.equals("lock"));

    // The same state again changes nothing: same who/when/why, nothing audited.
    admin.clock.advance(Duration.ofMinutes(1));
    assertThat(ok(admin.put(url, MOD, new JsonObject().put(field, true).put("org.gatehouse.reason", "again"))))
        .isEqualTo(expected);

    JsonObject lifted = ok(admin.put(url, MOD, new JsonObject().put(field, false)));
    assertThat(lifted).isEqualTo(new JsonObject().put(field, false).put("org.gatehouse.updated_by", userId("mod"))
        .put("org.gatehouse.updated_ts", admin.clock.millis()));
    assertThat(admin.auth.status(target).isDefault()).isTrue();

    List<Row> audit = admin.auditRows(target);
    assertThat(audit).hasSize(2);
    String on = kind.equals("suspend") ? "suspend" : "lock";
    assertThat(audit.get(0).getString("action")).isEqualTo(on);
    assertThat(audit.get(0).getString("actor")).isEqualTo(userId("root"));
    assertThat(audit.get(0).getString("reason")).isEqualTo("spam wave");
    assertThat(audit.get(0).getOffsetDateTime("at").toInstant().toEpochMilli()).isEqualTo(put.getLong("org.gatehouse.updated_ts"));
    assertThat(audit.get(1).getString("action")).isEqualTo("un" + on);
    assertThat(audit.get(1).getString("actor")).isEqualTo(userId("mod"));
    assertThat(audit.get(1).getString("reason")).isNull();
    assertThat(audit.get(1).getJsonObject("details").getLong("version"))
        .isGreaterThan(audit.get(0).getJsonObject("details").getLong("version"));
  }

  @Test
  void suspensionAndLockAreIndependent() {
    String bob = path(userId("bob"));
    ok(admin.put(STABLE + "suspend/" + bob, ROOT, new JsonObject().put("suspended", true).put("org.gatehouse.reason", "a")));
    admin.clock.advance(Duration.ofSeconds(5));
    ok(admin.put(UNSTABLE + "lock/" + bob, ROOT, new JsonObject().put("locked", true).put("org.gatehouse.reason", "b")));
    assertThat(ok(admin.get(UNSTABLE + "suspend/" + bob, ROOT)).getString("org.gatehouse.reason")).isEqualTo("a");
    assertThat(ok(admin.get(STABLE + "lock/" + bob, ROOT)).getString("org.gatehouse.reason")).isEqualTo("b");
    assertThat(admin.auth.status(userId("bob")).suspended()).isTrue();
    assertThat(admin.auth.status(userId("bob")).locked()).isTrue();
    ok(admin.put(STABLE + "lock/" + bob, ROOT, new JsonObject().put("locked", false)));
    assertThat(ok(admin.get(STABLE + "suspend/" + bob, ROOT)).getBoolean("suspended")).isTrue();
    assertThat(admin.auth.status(userId("bob")).locked()).isFalse();
    assertThat(admin.auth.status(userId("bob")).suspended()).isTrue();
  }

  @Test
  void userIdsNeedNotBeEncodedButMayBe() {
    String url = STABLE + "lock/" + userId("carol");
    assertThat(ok(admin.put(url, ROOT, new JsonObject().put("locked", true))).getBoolean("locked")).isTrue();
    assertThat(ok(admin.get(STABLE + "lock/" + path(userId("carol")), ROOT)).getBoolean("locked")).isTrue();
    // A localpart with a slash only works encoded, and then it does.
    assertThat(ok(admin.put(STABLE + "lock/" + path(userId("slash/name")), ROOT, new JsonObject().put("locked", true)))
        .getBoolean("locked")).isTrue();
    assertThat(admin.auth.status(userId("slash/name")).locked()).isTrue();
  }

  @Test
  void badBodiesAreMatrixErrors() {
    String url = STABLE + "suspend/" + path(userId("dave"));
    assertError(admin.send(HttpMethod.PUT, url, ROOT, null), 400, "M_NOT_JSON");
    assertError(admin.send(HttpMethod.PUT, url, ROOT, "{not json"), 400, "M_NOT_JSON");
    assertError(admin.send(HttpMethod.PUT, url, ROOT, "[true]"), 400, "M_NOT_JSON");
    assertError(admin.send(HttpMethod.PUT, url, ROOT, "{}"), 400, "M_MISSING_PARAM");
    assertError(admin.send(HttpMethod.PUT, url, ROOT, "{\"locked\": true}"), 400, "M_MISSING_PARAM");
    assertError(admin.send(HttpMethod.PUT, url, ROOT, "{\"suspended\": \"true\"}"), 400, "M_BAD_JSON");
    assertError(admin.send(HttpMethod.PUT, url, ROOT, "{\"suspended\": 1}"), 400, "M_BAD_JSON");
    assertError(admin.send(HttpMethod.PUT, url, ROOT, "{\"suspended\": true, \"org.gatehouse.reason\": 5}"),
        400, "M_BAD_JSON");
    assertError(admin.send(HttpMethod.PUT, url, ROOT, new JsonObject().put("suspended", true)
        .put("org.gatehouse.reason", "x".repeat(1001)).encode()), 400, "M_INVALID_PARAM");
    assertThat(admin.auditRows(userId("dave"))).isEmpty();
    assertThat(admin.auth.status(userId("dave")).isDefault()).isTrue();
    // Other fields are ignored, as Matrix servers do.
    assertThat(ok(admin.send(HttpMethod.PUT, url, ROOT, "{\"suspended\": true, \"x.other\": 1}")).getBoolean("suspended"))
        .isTrue();
  }

  @Test
  void theChangeIsInForceOnEveryNodeBeforeTheAnswer() {
    // This "node" takes 400 ms to apply the fact; the PUT must wait for it.
    admin.auth.applyDelayMs.set(400);
    try {
      long started = System.nanoTime();
      ok(admin.put(STABLE + "lock/" + path(userId("erin")), ROOT, new JsonObject().put("locked", true)));
      assertThat(admin.auth.status(userId("erin")).locked()).as("applied before the answer").isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    } finally {
      admin.auth.applyDelayMs.set(0);
    }
  }

  @Test
  void aNodeThatDoesNotConfirmMakesIt503AndRepeatingConfirms() {
    String url = STABLE + "suspend/" + path(userId("frank"));
    admin.auth.applyDelayMs.set(-1);
    try {
      assertError(admin.put(url, ROOT, new JsonObject().put("suspended", true)), 503, "M_UNKNOWN");
    } finally {
      admin.auth.applyDelayMs.set(0);
    }
    assertThat(admin.auth.status(userId("frank")).suspended()).isFalse();
    // Recorded (and audited) though not confirmed; the same request again confirms it without a second entry.
    assertThat(ok(admin.put(url, ROOT, new JsonObject().put("suspended", true))).getBoolean("suspended")).isTrue();
    assertThat(admin.auth.status(userId("frank")).suspended()).isTrue();
    assertThat(admin.auditRows(userId("frank"))).extracting(r -> r.getString("action")).containsExactly("suspend");
  }

  @Test
  void concurrentChangesOfOneAccountKeepVersionsInOrder() throws Exception {
    String url = STABLE + "lock/" + path(userId("grace"));
    List<io.vertx.core.Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      var request = admin.server().client().put(url).putHeader("Authorization", "Bearer " + ROOT);
      answers.add(request.sendJsonObject(new JsonObject().put("locked", i % 2 == 0)));
    }
    io.vertx.core.Future.all(answers).await(60, java.util.concurrent.TimeUnit.SECONDS);
    answers.forEach(a -> assertThat(a.result().statusCode()).isEqualTo(200));

    List<Row> audit = admin.auditRows(userId("grace"));
    assertThat(audit).isNotEmpty();
    long previous = 0;
    boolean expected = true;
    for (Row row : audit) {
      // Each entry flips the state, and versions grow in the order the changes took effect.
      assertThat(row.getString("action")).isEqualTo(expected ? "lock" : "unlock");
      long version = row.getJsonObject("details").getLong("version");
      assertThat(version).isGreaterThan(previous);
      previous = version;
      expected = !expected;
    }
    boolean finalState = audit.get(audit.size() - 1).getString("action").equals("lock");
    assertThat(ok(admin.get(url, ROOT)).getBoolean("locked")).isEqualTo(finalState);
    assertThat(admin.auth.status(userId("grace")).locked()).isEqualTo(finalState);
    assertThat(admin.auth.status(userId("grace")).version()).isEqualTo(previous);
  }

  @Test
  void capabilitiesAdvertiseModerationToAdministratorsOnly() {
    JsonObject moderation = new JsonObject().put("suspend", true).put("lock", true);
    JsonObject forAdmins = new JsonObject().put("capabilities", new JsonObject()
        .put("m.account_moderation", moderation).put("uk.timedout.msc4323", moderation));
    assertThat(ok(admin.get("/_matrix/client/v3/capabilities", ROOT))).isEqualTo(forAdmins);
    assertThat(ok(admin.get("/_matrix/client/v3/capabilities", MOD))).isEqualTo(forAdmins);
    assertThat(ok(admin.get("/_matrix/client/r0/capabilities", MOD))).isEqualTo(forAdmins);
    assertThat(ok(admin.get("/_matrix/client/v3/capabilities", ALICE)))
        .isEqualTo(new JsonObject().put("capabilities", new JsonObject()));
    assertError(admin.get("/_matrix/client/v3/capabilities", null), 401, "M_MISSING_TOKEN");
  }

  @Test
  void anAdministratorsTokenWithoutTheAdminScopeNeitherSeesNorUsesModeration() {
    assertThat(ok(admin.get("/_matrix/client/v3/capabilities", ROOT_WITHOUT_ADMIN_SCOPE)))
        .isEqualTo(new JsonObject().put("capabilities", new JsonObject()));
    int before = admin.auth.accountCalls.size();
    for (String prefix : List.of(STABLE, UNSTABLE)) {
      String url = prefix + "lock/" + path(userId("ken"));
      HttpResponse<Buffer> refusedToAnyone = admin.put(url, ALICE, new JsonObject().put("locked", true));
      for (HttpResponse<Buffer> answer : List.of(admin.get(url, ROOT_WITHOUT_ADMIN_SCOPE),
          admin.put(url, ROOT_WITHOUT_ADMIN_SCOPE, new JsonObject().put("locked", true)),
          admin.put(prefix + "suspend/" + path(userId("ken")), ROOT_WITHOUT_ADMIN_SCOPE,
              new JsonObject().put("suspended", true)))) {
        assertError(answer, 403, "M_FORBIDDEN");
        assertThat(answer.body()).isEqualTo(refusedToAnyone.body());
      }
    }
    assertThat(admin.auth.accountCalls.size()).as("no account was looked up").isEqualTo(before);
    assertThat(admin.auth.status(userId("ken")).locked()).isFalse();
    assertThat(admin.auth.status(userId("ken")).suspended()).isFalse();
  }

  @Test
  void aTokenGrantedOnlyOpenidIsNoMatrixToken() {
    for (HttpResponse<Buffer> answer : List.of(admin.get("/_matrix/client/v3/capabilities", ROOT_OPENID_ONLY),
        admin.get(STABLE + "lock/" + path(userId("ken")), ROOT_OPENID_ONLY),
        admin.put(UNSTABLE + "suspend/" + path(userId("ken")), ROOT_OPENID_ONLY, new JsonObject().put("suspended", true)))) {
      assertError(answer, 401, "M_UNKNOWN_TOKEN");
      assertThat(answer.bodyAsJsonObject().getString("error")).isEqualTo("Token doesn't grant access to the Matrix C-S API");
      assertThat(answer.bodyAsJsonObject().getBoolean("soft_logout")).isFalse();
    }
  }

  @Test
  void versionsAdvertiseTheUnstableFeature() {
    assertThat(new AdminModule().unstableFeatures(AdminConfig.read(org.gatehouse.common.config.ConfigNode.empty(), null)))
        .containsEntry("uk.timedout.msc4323", true);
  }

  @Test
  void theSnapshotListsRestrictedAccountsWithTheirVersions() throws Exception {
    ok(admin.put(STABLE + "suspend/" + path(userId("heidi")), ROOT, new JsonObject().put("suspended", true)));
    JsonObject snapshot = admin.server().vertx().eventBus()
        .<JsonObject>request(org.gatehouse.common.admin.AdminAddresses.ACCOUNT_STATUS_SNAPSHOT, new JsonObject())
        .await(10, java.util.concurrent.TimeUnit.SECONDS).body();
    var heidi = snapshot.getJsonArray("accounts").stream().map(o -> (JsonObject) o)
        .filter(a -> a.getString("user_id").equals(userId("heidi"))).findFirst().orElseThrow();
    assertThat(heidi.getBoolean("suspended")).isTrue();
    assertThat(heidi.getBoolean("locked")).isFalse();
    assertThat(heidi.getLong("version")).isEqualTo(admin.auth.status(userId("heidi")).version());
    ok(admin.put(STABLE + "suspend/" + path(userId("heidi")), ROOT, new JsonObject().put("suspended", false)));
    JsonObject after = admin.server().vertx().eventBus()
        .<JsonObject>request(org.gatehouse.common.admin.AdminAddresses.ACCOUNT_STATUS_SNAPSHOT, new JsonObject())
        .await(10, java.util.concurrent.TimeUnit.SECONDS).body();
    assertThat(after.getJsonArray("accounts").stream().map(o -> ((JsonObject) o).getString("user_id")))
        .doesNotContain(userId("heidi"));
  }
}
