package org.gatehouse.auth.appservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gatehouse.auth.appservice.AppserviceServer.assertError;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.gatehouse.auth.AuthTestServer;
import org.gatehouse.auth.appservice.AppserviceServer.Registration;
import org.gatehouse.auth.domain.Appservices;
import org.gatehouse.common.auth.AuthFacts;
import org.gatehouse.common.auth.AuthAddresses;
import org.gatehouse.common.bus.BusErrors;
import org.gatehouse.common.http.MatrixError;
import org.gatehouse.common.testing.OAuthTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appservices on an OAuth server: identity assertion with devices (MSC4326), device management (MSC4190). */
class AppserviceTest {
  static final String BRIDGE_TOKEN = "as_token_of_the_bridge_0001";
  static final String LIMITED_TOKEN = "as_token_of_the_limited_one";
  static final String LEGACY_TOKEN = "as_token_without_msc4190_00";
  /** An appservice interested in every user, exclusively in none (e.g. a logging bot). */
  static final String WIDE_TOKEN = "as_token_of_the_wide_one_00";
  static AuthTestServer auth;
  @TempDir
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    auth = AppserviceServer.start(dir, Map.of("device_creation", Map.of("per_second", "0.01", "burst", 3)),
        new Registration("bridge", RegistrationFilesTest.registration("bridge", BRIDGE_TOKEN, "@bridge_.*:test\\.local")),
        new Registration("limited", RegistrationFilesTest.registration("limited", LIMITED_TOKEN,
            "@limited_.*:test\\.local").replace("rate_limited: false", "rate_limited: true")),
        new Registration("legacy", RegistrationFilesTest.registration("legacy", LEGACY_TOKEN,
            "@legacy_.*:test\\.local").replace("io.element.msc4190: true", "io.element.msc4190: false")),
        new Registration("wide", RegistrationFilesTest.registration("wide", WIDE_TOKEN,
            "@.*:test\\.local").replace("exclusive: true", "exclusive: false")));
  }

  @AfterAll
  static void stop() {
    auth.close();
  }

  private static HttpResponse<Buffer> call(String method, String path, String token, JsonObject body) throws Exception {
    return AppserviceServer.call(auth, HttpMethod.valueOf(method), path, token, body);
  }

  private static String register(String token, String localpart) throws Exception {
    return AppserviceServer.register(auth, token, localpart);
  }

  @Test
  void registeringNeedsInhibitLoginAndTheNamespace() throws Exception {
    String userId = register(BRIDGE_TOKEN, "bridge_reg1");
    assertThat(userId).isEqualTo("@bridge_reg1:test.local");
    assertThat(call("POST", "/_matrix/client/v3/register", BRIDGE_TOKEN, new JsonObject()
        .put("type", "m.login.application_service").put("username", "bridge_reg1").put("inhibit_login", true))
        .bodyAsJsonObject().getString("errcode")).isEqualTo("M_USER_IN_USE");
    assertError(call("POST", "/_matrix/client/v3/register", BRIDGE_TOKEN, new JsonObject()
        .put("type", "m.login.application_service").put("username", "bridge_reg2")), 400, "M_APPSERVICE_LOGIN_UNSUPPORTED");
    assertError(call("POST", "/_matrix/client/v3/register", BRIDGE_TOKEN, new JsonObject()
        .put("type", "m.login.application_service").put("username", "bridge_reg2").put("inhibit_login", "true")),
        400, "M_APPSERVICE_LOGIN_UNSUPPORTED");
    assertError(call("POST", "/_matrix/client/v3/register", BRIDGE_TOKEN, new JsonObject()
        .put("type", "m.login.application_service").put("username", "alice").put("inhibit_login", true)),
        400, "M_EXCLUSIVE");
    assertError(call("POST", "/_matrix/client/v3/register", "as_wrong_token_0000000", new JsonObject()
        .put("type", "m.login.application_service").put("username", "bridge_x").put("inhibit_login", true)),
        401, "M_UNKNOWN_TOKEN");
    assertError(call("POST", "/_matrix/client/v3/register", null, new JsonObject().put("username", "someone")),
        403, "M_FORBIDDEN");
  }

  @Test
  void anAppserviceCannotRegisterAUserInAnotherAppservicesExclusiveNamespace() throws Exception {
    HttpResponse<Buffer> stolen = call("POST", "/_matrix/client/v3/register", WIDE_TOKEN, new JsonObject()
        .put("type", "m.login.application_service").put("username", "bridge_stolen").put("inhibit_login", true));
    assertError(stolen, 400, "M_EXCLUSIVE");
    assertThat(stolen.bodyAsJsonObject().getString("error")).contains("exclusive namespace of another appservice");
    assertError(call("POST", "/_matrix/client/v3/register", WIDE_TOKEN, new JsonObject()
        .put("type", "m.login.application_service").put("username", "@limited_stolen:test.local")
        .put("inhibit_login", true)), 400, "M_EXCLUSIVE");
    // The owner still can; and the wide one can register anyone nobody claims exclusively.
    assertThat(register(BRIDGE_TOKEN, "bridge_stolen")).isEqualTo("@bridge_stolen:test.local");
    assertThat(register(WIDE_TOKEN, "logged_person")).isEqualTo("@logged_person:test.local");
  }

  @Test
  void loginIsGoneForAppservices() throws Exception {
    assertError(call("POST", "/_matrix/client/v3/login", null, new JsonObject().put("type", "m.login.application_service")
        .put("identifier", new JsonObject().put("type", "m.id.user").put("user", "bridge_x"))), 400,
        "M_APPSERVICE_LOGIN_UNSUPPORTED");
    JsonArray flows = call("GET", "/_matrix/client/v3/login", null, null).bodyAsJsonObject().getJsonArray("flows");
    assertThat(flows.stream().map(f -> ((JsonObject) f).getString("type"))).doesNotContain("m.login.application_service");
  }

  @Test
  void identityAssertionWithDevices() throws Exception {
    String user = register(BRIDGE_TOKEN, "bridge_alice");
    // Nothing asserted: the sender.
    assertThat(call("GET", "/_matrix/client/v3/account/whoami", BRIDGE_TOKEN, null).bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("user_id", "@bridgebot:test.local").put("is_guest", false));
    // A device is created for the user through the device path...
    assertThat(call("PUT", "/_matrix/client/v3/devices/ALICEDEV?user_id=" + user, BRIDGE_TOKEN, new JsonObject())
        .statusCode()).isEqualTo(201);
    // ...and asserted with the stable and the unstable parameter.
    assertThat(call("GET", "/_matrix/client/v3/account/whoami?user_id=" + user + "&device_id=ALICEDEV", BRIDGE_TOKEN,
        null).bodyAsJsonObject()).isEqualTo(new JsonObject().put("user_id", user).put("is_guest", false)
        .put("device_id", "ALICEDEV"));
    assertThat(call("GET", "/_matrix/client/v3/account/whoami?user_id=" + user + "&org.matrix.msc3202.device_id=ALICEDEV",
        BRIDGE_TOKEN, null).bodyAsJsonObject().getString("device_id")).isEqualTo("ALICEDEV");
    assertError(call("GET", "/_matrix/client/v3/account/whoami?user_id=" + user + "&device_id=NOPE", BRIDGE_TOKEN, null),
        400, "M_UNKNOWN_DEVICE");
    assertError(call("GET", "/_matrix/client/v3/account/whoami?user_id=" + user + "&org.matrix.msc3202.device_id=NOPE",
        BRIDGE_TOKEN, null), 400, "M_UNKNOWN_DEVICE");
    // device_id without user_id means the sender.
    assertThat(call("PUT", "/_matrix/client/v3/devices/BOTDEVICE", BRIDGE_TOKEN, new JsonObject()).statusCode())
        .isEqualTo(201);
    assertThat(call("GET", "/_matrix/client/v3/account/whoami?device_id=BOTDEVICE", BRIDGE_TOKEN, null)
        .bodyAsJsonObject().getString("user_id")).isEqualTo("@bridgebot:test.local");
    // Outside the namespace, or not registered: 403.
    assertError(call("GET", "/_matrix/client/v3/account/whoami?user_id=@alice:test.local", BRIDGE_TOKEN, null),
        403, "M_FORBIDDEN");
    assertError(call("GET", "/_matrix/client/v3/account/whoami?user_id=@bridge_never:test.local", BRIDGE_TOKEN, null),
        403, "M_FORBIDDEN");
    assertError(call("GET", "/_matrix/client/v3/account/whoami?user_id=@bridge_x:other.server", BRIDGE_TOKEN, null),
        403, "M_FORBIDDEN");
  }

  @Test
  void aNormalUsersDeviceIdParameterIsIgnored() throws Exception {
    auth.createUser("plain-user", "correct horse battery", false);
    OAuthTestClient.Tokens tokens = auth.oauth().signIn("plain-user", "correct horse battery");
    JsonObject whoami = call("GET", "/_matrix/client/v3/account/whoami?user_id=@bridge_alice:test.local&device_id=OTHER",
        tokens.accessToken(), null).bodyAsJsonObject();
    assertThat(whoami.getString("user_id")).isEqualTo("@plain-user:test.local");
    assertThat(whoami.getString("device_id")).isEqualTo(tokens.deviceId());
  }

  @Test
  void devicesAreCreatedRenamedListedAndDeletedWithoutUia() throws Exception {
    String user = register(BRIDGE_TOKEN, "bridge_bob");
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    auth.server().vertx().eventBus().<JsonObject>consumer(AuthFacts.DeviceCreated.ADDRESS, m -> events.add(m.body().put("e", "c")))
        .completion().await(10, TimeUnit.SECONDS);
    auth.server().vertx().eventBus().<JsonObject>consumer(AuthFacts.DeviceDeleted.ADDRESS, m -> events.add(m.body().put("e", "d")))
        .completion().await(10, TimeUnit.SECONDS);
    String as = "?user_id=" + user;
    assertThat(call("PUT", "/_matrix/client/v3/devices/BOB1" + as, BRIDGE_TOKEN, new JsonObject()).statusCode()).isEqualTo(201);
    assertThat(call("PUT", "/_matrix/client/v3/devices/BOB1" + as, BRIDGE_TOKEN, new JsonObject()
        .put("display_name", "Bob's bridge")).statusCode()).isEqualTo(200);
    assertThat(call("PUT", "/_matrix/client/v3/devices/BOB2" + as, BRIDGE_TOKEN, null).statusCode()).isEqualTo(201);
    assertThat(call("PUT", "/_matrix/client/v3/devices/BOB3" + as, BRIDGE_TOKEN, new JsonObject()).statusCode()).isEqualTo(201);
    JsonObject one = call("GET", "/_matrix/client/v3/devices/BOB1" + as, BRIDGE_TOKEN, null).bodyAsJsonObject();
    assertThat(one.getString("display_name")).isEqualTo("Bob's bridge");
    assertThat(call("GET", "/_matrix/client/v3/devices" + as, BRIDGE_TOKEN, null).bodyAsJsonObject()
        .getJsonArray("devices").size()).isEqualTo(3);
    assertThat(call("DELETE", "/_matrix/client/v3/devices/BOB1" + as, BRIDGE_TOKEN, null).statusCode()).isEqualTo(200);
    assertError(call("DELETE", "/_matrix/client/v3/devices/BOB1" + as, BRIDGE_TOKEN, null), 404, "M_NOT_FOUND");
    assertThat(call("POST", "/_matrix/client/v3/delete_devices" + as, BRIDGE_TOKEN, new JsonObject()
        .put("devices", new JsonArray().add("BOB2").add("BOB3").add("UNKNOWN"))).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/_matrix/client/v3/devices" + as, BRIDGE_TOKEN, null).bodyAsJsonObject()
        .getJsonArray("devices")).isEmpty();
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 6);
    assertThat(events).allSatisfy(e -> {
      assertThat(e.getString("user_id")).isEqualTo(user);
      assertThat(e.getString("by")).isEqualTo("bridge");
    });
    assertThat(events.stream().filter(e -> e.getString("e").equals("d")).map(e -> e.getString("device_id")))
        .containsExactlyInAnyOrder("BOB1", "BOB2", "BOB3");
  }

  @Test
  void badDeviceInputIs400NeverA500() throws Exception {
    String user = register(BRIDGE_TOKEN, "bridge_carol");
    String as = "?user_id=" + user;
    assertError(call("PUT", "/_matrix/client/v3/devices/" + "X".repeat(256) + as, BRIDGE_TOKEN, new JsonObject()),
        400, "M_INVALID_PARAM");
    assertError(call("PUT", "/_matrix/client/v3/devices/bad%20id" + as, BRIDGE_TOKEN, new JsonObject()), 400,
        "M_INVALID_PARAM");
    assertError(call("PUT", "/_matrix/client/v3/devices/CAROL1" + as, BRIDGE_TOKEN, new JsonObject()
        .put("display_name", 42)), 400, "M_BAD_JSON");
    assertError(call("PUT", "/_matrix/client/v3/devices/CAROL1" + as, BRIDGE_TOKEN, new JsonObject()
        .put("display_name", "x".repeat(300))), 400, "M_INVALID_PARAM");
    assertError(call("POST", "/_matrix/client/v3/delete_devices" + as, BRIDGE_TOKEN, new JsonObject()), 400,
        "M_MISSING_PARAM");
    assertError(call("POST", "/_matrix/client/v3/delete_devices" + as, BRIDGE_TOKEN, new JsonObject()
        .put("devices", "CAROL1")), 400, "M_BAD_JSON");
    HttpResponse<Buffer> notJson = auth.client().put("/_matrix/client/v3/devices/CAROL1" + as)
        .bearerTokenAuthentication(BRIDGE_TOKEN).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{")).await(10, TimeUnit.SECONDS);
    assertError(notJson, 400, "M_NOT_JSON");
  }

  @Test
  void creationIsRateLimitedPerAppserviceUnlessItOptsOut() throws Exception {
    String limited = register(LIMITED_TOKEN, "limited_dan");
    for (int i = 0; i < 3; i++) {
      assertThat(call("PUT", "/_matrix/client/v3/devices/DAN" + i + "?user_id=" + limited, LIMITED_TOKEN, new JsonObject())
          .statusCode()).isEqualTo(201);
    }
    HttpResponse<Buffer> refused = call("PUT", "/_matrix/client/v3/devices/DAN9?user_id=" + limited, LIMITED_TOKEN,
        new JsonObject());
    assertError(refused, 429, "M_LIMIT_EXCEEDED");
    assertThat(refused.getHeader("Retry-After")).isNotNull();
    assertThat(refused.bodyAsJsonObject().getLong("retry_after_ms")).isPositive();
    String free = register(BRIDGE_TOKEN, "bridge_erin");
    for (int i = 0; i < 10; i++) {
      assertThat(call("PUT", "/_matrix/client/v3/devices/ERIN" + i + "?user_id=" + free, BRIDGE_TOKEN, new JsonObject())
          .statusCode()).isEqualTo(201);
    }
  }

  @Test
  void withoutMsc4190NoDevicesAreCreatedOrDeleted() throws Exception {
    String user = register(LEGACY_TOKEN, "legacy_frank");
    assertError(call("PUT", "/_matrix/client/v3/devices/FRANK1?user_id=" + user, LEGACY_TOKEN, new JsonObject()),
        404, "M_NOT_FOUND");
    assertError(call("DELETE", "/_matrix/client/v3/devices/FRANK1?user_id=" + user, LEGACY_TOKEN, null),
        403, "M_FORBIDDEN");
  }

  @Test
  void deletingADeviceEndsTheSessionsAndTokensOnIt() throws Exception {
    // A user of the bridge's namespace who also signs in through OAuth on device GINADEVICE1.
    auth.createUser("bridge_gina", "correct horse battery", false);
    OAuthTestClient.Tokens tokens = auth.oauth().signIn(auth.oauth().registerClient(), "bridge_gina",
        "correct horse battery", "GINADEVICE1", "");
    assertThat(call("GET", "/_matrix/client/v3/account/whoami", tokens.accessToken(), null).statusCode()).isEqualTo(200);
    assertThat(call("DELETE", "/_matrix/client/v3/devices/GINADEVICE1?user_id=@bridge_gina:test.local", BRIDGE_TOKEN, null)
        .statusCode()).isEqualTo(200);
    assertError(call("GET", "/_matrix/client/v3/account/whoami", tokens.accessToken(), null), 401, "M_UNKNOWN_TOKEN");
    assertThat(auth.oauth().refresh(tokens, tokens.refreshToken()).statusCode()).isEqualTo(400);
    assertError(call("GET", "/_matrix/client/v3/account/whoami?user_id=@bridge_gina:test.local&device_id=GINADEVICE1",
        BRIDGE_TOKEN, null), 400, "M_UNKNOWN_DEVICE");
  }

  @Test
  void aUserMayDeleteOnlyTheDeviceItIsUsingAndThatEndsItsSession() throws Exception {
    auth.createUser("owner", "correct horse battery", false);
    String client = auth.oauth().registerClient();
    OAuthTestClient.Tokens one = auth.oauth().signIn(client, "owner", "correct horse battery", "OWNERDEVICE1", "");
    OAuthTestClient.Tokens two = auth.oauth().signIn(client, "owner", "correct horse battery", "OWNERDEVICE2", "");
    assertError(call("DELETE", "/_matrix/client/v3/devices/OWNERDEVICE2", one.accessToken(), null), 403, "M_FORBIDDEN");
    assertThat(call("DELETE", "/_matrix/client/v3/devices/OWNERDEVICE1", one.accessToken(), null).statusCode())
        .isEqualTo(200);
    assertThat(call("GET", "/_matrix/client/v3/account/whoami", one.accessToken(), null).statusCode()).isEqualTo(401);
    assertThat(call("GET", "/_matrix/client/v3/account/whoami", two.accessToken(), null).statusCode()).isEqualTo(200);
  }

  @Test
  void reloadPutsNewRegistrationsInForceAndABadFileChangesNothing() throws Exception {
    Path file = dir.resolve("reloadable.yaml");
    Files.writeString(dir.resolve("bridge.yaml"), Files.readString(dir.resolve("bridge.yaml")));
    String original = Files.readString(dir.resolve("limited.yaml"));
    try {
      Files.writeString(dir.resolve("limited.yaml"), original.replace(LIMITED_TOKEN, "as_token_after_reload_01"));
      JsonObject reloaded = auth.server().vertx().eventBus().<JsonObject>request(AuthAddresses.APPSERVICES_RELOAD,
          new JsonObject().put("by", "test")).await(10, TimeUnit.SECONDS).body();
      assertThat(reloaded.getJsonArray("appservices").getList()).containsExactly("bridge", "limited", "legacy", "wide");
      assertError(call("GET", "/_matrix/client/v3/account/whoami", LIMITED_TOKEN, null), 401, "M_UNKNOWN_TOKEN");
      assertThat(call("GET", "/_matrix/client/v3/account/whoami", "as_token_after_reload_01", null).statusCode())
          .isEqualTo(200);

      Files.writeString(dir.resolve("limited.yaml"), "id: [broken\n");
      try {
        auth.server().vertx().eventBus().request(AuthAddresses.APPSERVICES_RELOAD, new JsonObject())
            .await(10, TimeUnit.SECONDS);
        throw new AssertionError("a broken file must fail the reload");
      } catch (Exception e) {
        MatrixError error = BusErrors.toMatrixError(e);
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.error()).contains("limited.yaml");
      }
      assertThat(call("GET", "/_matrix/client/v3/account/whoami", "as_token_after_reload_01", null).statusCode())
          .isEqualTo(200);
    } finally {
      Files.writeString(dir.resolve("limited.yaml"), original);
      auth.server().vertx().eventBus().request(AuthAddresses.APPSERVICES_RELOAD, new JsonObject())
          .await(10, TimeUnit.SECONDS);
      Files.deleteIfExists(file);
    }
  }
}
