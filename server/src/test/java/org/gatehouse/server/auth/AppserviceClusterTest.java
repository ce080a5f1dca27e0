package org.gatehouse.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.gatehouse.common.auth.AuthAddresses;
import org.gatehouse.server.testing.NodeProcess;
import org.gatehouse.server.testing.TestNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appservice registrations are the same on every node, and reload on SIGHUP or an admin call. */
class AppserviceClusterTest {
  @TempDir
  Path tmp;

  static String registration(String token) {
    return """
        id: bridge
        url: http://localhost:9000
        as_token: %s
        hs_token: hs_token_of_the_bridge_000
        sender_localpart: bridgebot
        rate_limited: false
        io.element.msc4190: true
        namespaces:
          users:
            - exclusive: true
              regex: '@bridge_.*:.*'
        """.formatted(token);
  }

  private static int whoami(WebClient http, String base, String token, String query) throws Exception {
    return http.getAbs(base + "/_matrix/client/v3/account/whoami" + query).bearerTokenAuthentication(token).send()
        .await(10, TimeUnit.SECONDS).statusCode();
  }

  @Test
  void aReloadThroughOneNodeIsInForceOnEveryNodeAndDeviceDeletionToo() throws Exception {
    Path dir = tmp;
    Path file = dir.resolve("bridge.yaml");
    Files.writeString(file, registration("as_token_before_reload_0"));
    Vertx vertx = Vertx.vertx();
    WebClient http = WebClient.create(vertx);
    try (TestNodes nodes = TestNodes.start(2, Map.of("auth", Map.of("appservices",
        Map.of("registration_files", List.of(file.toString())))))) {
      assertThat(whoami(http, nodes.url(1), "as_token_before_reload_0", "")).isEqualTo(200);
      Files.writeString(file, registration("as_token_after_reload_00"));
      nodes.node(0).vertx().eventBus().request(AuthAddresses.APPSERVICES_RELOAD, new JsonObject().put("by", "test"))
          .await(30, TimeUnit.SECONDS);
      // Acknowledged by every node before the reply: node 1 uses the new token at once.
      assertThat(whoami(http, nodes.url(1), "as_token_after_reload_00", "")).isEqualTo(200);
      assertThat(whoami(http, nodes.url(1), "as_token_before_reload_0", "")).isEqualTo(401);

      String token = "as_token_after_reload_00";
      HttpResponse<Buffer> registered = http.postAbs(nodes.url(0) + "/_matrix/client/v3/register")
          .bearerTokenAuthentication(token).sendJsonObject(new JsonObject().put("type", "m.login.application_service")
              .put("username", "bridge_zoe").put("inhibit_login", true)).await(10, TimeUnit.SECONDS);
      assertThat(registered.statusCode()).isEqualTo(200);
      assertThat(http.putAbs(nodes.url(0) + "/_matrix/client/v3/devices/ZOE1?user_id=@bridge_zoe:test.local")
          .bearerTokenAuthentication(token).sendJsonObject(new JsonObject()).await(10, TimeUnit.SECONDS).statusCode())
          .isEqualTo(201);
      String asZoe = "?user_id=@bridge_zoe:test.local&device_id=ZOE1";
      assertThat(whoami(http, nodes.url(1), token, asZoe)).isEqualTo(200);
      assertThat(http.deleteAbs(nodes.url(1) + "/_matrix/client/v3/devices/ZOE1?user_id=@bridge_zoe:test.local")
          .bearerTokenAuthentication(token).send().await(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(whoami(http, nodes.url(0), token, asZoe)).isEqualTo(400);
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void theSharedRegistrationsAndTheirFactHoldNoTokenInClearAndAJoiningNodeAdoptsThem() throws Exception {
    Path file = tmp.resolve("bridge.yaml");
    Files.writeString(file, registration("as_token_shared_first_00"));
    Vertx vertx = Vertx.vertx();
    WebClient http = WebClient.create(vertx);
    try (TestNodes nodes = TestNodes.start(2, Map.of("auth", Map.of("appservices",
        Map.of("registration_files", List.of(file.toString())))))) {
      List<String> facts = new CopyOnWriteArrayList<>();
      nodes.node(1).vertx().eventBus().addInboundInterceptor(delivery -> {
        if (delivery.message().address().startsWith("gatehouse.auth.appservices.changed")) {
          facts.add(String.valueOf(delivery.message().body()));
        }
        delivery.next();
      });
      Files.writeString(file, registration("as_token_shared_second_0"));
      nodes.node(0).vertx().eventBus().request(AuthAddresses.APPSERVICES_RELOAD, new JsonObject().put("by", "test"))
          .await(30, TimeUnit.SECONDS);
      String shared = String.valueOf(nodes.node(0).hazelcast().getMap("gatehouse.auth.appservices").get("current"));
      assertThat(shared).contains("bridge").doesNotContain("as_token_shared_second_0", "hs_token_of_the_bridge_000");
      assertThat(facts).isNotEmpty()
          .allSatisfy(fact -> assertThat(fact).doesNotContain("as_token_shared_second_0", "hs_token_of_the_bridge_000"));

      // A node that (re)joins adopts the registrations in force, not its own files, from what the cluster shares.
      Files.writeString(file, registration("as_token_shared_third_00"));
      nodes.restart(1);
      assertThat(whoami(http, nodes.url(1), "as_token_shared_second_0", "")).isEqualTo(200);
      assertThat(whoami(http, nodes.url(1), "as_token_shared_third_00", "")).isEqualTo(401);
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void sighupReloadsTheRegistrationsOfARunningNode() throws Exception {
    Path work = tmp;
    work.toFile().setExecutable(true, false);
    work.toFile().setReadable(true, false);
    Path file = work.resolve("bridge.yaml");
    Files.writeString(file, registration("as_token_before_sighup_0"));
    List<Integer> ports = TestNodes.freePorts(2);
    Map<String, String> env = Map.of("GATEHOUSE_HTTP__PORT", ports.get(0).toString(),
        "GATEHOUSE_CLUSTER__PORT", ports.get(1).toString(), "GATEHOUSE_CLUSTER__NAME", "sighup-" + ports.get(1),
        "GATEHOUSE_AUTH__APPSERVICES__REGISTRATION_FILES", file.toString());
    String base = "http://127.0.0.1:" + ports.get(0);
    Vertx vertx = Vertx.vertx();
    WebClient http = WebClient.create(vertx);
    try (NodeProcess node = NodeProcess.start(work, env, "run")) {
      node.awaitOutput("Gatehouse is ready", Duration.ofSeconds(120));
      assertThat(whoami(http, base, "as_token_before_sighup_0", "")).isEqualTo(200);
      Files.writeString(file, registration("as_token_after_sighup_00"));
      node.signal("HUP");
      Awaitility.await().atMost(Duration.ofSeconds(20))
          .until(() -> whoami(http, base, "as_token_after_sighup_00", "") == 200);
      assertThat(whoami(http, base, "as_token_before_sighup_0", "")).isEqualTo(401);
      node.signal("TERM");
      assertThat(node.awaitExit(Duration.ofSeconds(60))).isZero();
    } finally {
      vertx.close().await();
    }
  }
}
