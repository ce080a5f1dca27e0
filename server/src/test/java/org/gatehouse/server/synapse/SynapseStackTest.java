package org.gatehouse.server.synapse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deployment of docs/synapse.md running for real: Gatehouse, Synapse 1.163.2 delegating to it
 * (conf/synapse/homeserver.yaml) and nginx in front (conf/synapse/nginx.conf), asked through nginx as a client
 * would. It checks the stack and the routing; what Synapse does with Gatehouse's users and devices is
 * {@link SynapseEndToEndTest}.
 */
class SynapseStackTest extends BehindSynapse {
  static final String USERNAME = "alice";
  /** Synapse's Cache-Control on auth_metadata (Gatehouse's own is different), which tells who answered. */
  static final String SYNAPSE_METADATA_CACHE = "public, max-age=600, s-maxage=3600, stale-while-revalidate=600";

  @BeforeAll
  void createTheUser() {
    System.out.printf("Gatehouse + Synapse + nginx in %s%n", deployment.stack().directory());
    deployment.createUser(USERNAME, PASSWORD);
  }

  @Test
  void authMetadataIsGatehousesDocumentServedBySynapse() throws Exception {
    HttpResponse<String> response = get(deployment.proxyUrl() + "/_matrix/client/v1/auth_metadata");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Cache-Control")).as("Synapse answered").hasValue(SYNAPSE_METADATA_CACHE);
    assertThat(answeredByGatehouse(response)).isFalse();
    JsonObject metadata = new JsonObject(response.body());
    assertThat(metadata.getString("issuer")).isEqualTo(deployment.issuer());
    assertThat(metadata.getString("authorization_endpoint")).isEqualTo(deployment.proxyUrl() + "/oauth2/authorize");
    assertThat(metadata.getString("token_endpoint")).isEqualTo(deployment.proxyUrl() + "/oauth2/token");
    assertThat(metadata.getString("account_management_uri")).startsWith(deployment.proxyUrl() + "/");
    // Synapse serves Gatehouse's discovery document as it is.
    JsonObject direct = new JsonObject(get(deployment.gatehouseUrl() + "/.well-known/openid-configuration").body());
    assertThat(metadata).isEqualTo(direct);
  }

  @Test
  void versionsIsSynapsesAnswerWithGatehousesFeaturesMergedIn() throws Exception {
    HttpResponse<String> response = get(deployment.proxyUrl() + "/_matrix/client/versions");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(answeredByGatehouse(response)).isTrue();
    JsonObject versions = new JsonObject(response.body());
    // Synapse's versions: it still lists the r0 versions, which Gatehouse never did.
    assertThat(versions.getJsonArray("versions").getList()).contains("r0.6.1", "v1.15");
    // Advertised by Synapse because of experimental_features.msc4108_delegation_endpoint, and by Gatehouse.
    assertThat(versions.getJsonObject("unstable_features").getBoolean("org.matrix.msc4108")).isTrue();
    // Gatehouse's own, which Synapse does not know.
    assertThat(versions.getJsonObject("unstable_features").getBoolean("uk.timedout.msc4323")).isTrue();
    // Gatehouse's own listener gives the same answer (nginx adds nothing).
    assertThat(new JsonObject(get(deployment.gatehouseUrl() + "/_matrix/client/versions").body())).isEqualTo(versions);
  }

  @Test
  void openIdConfigurationIsGatehouses() throws Exception {
    for (String path : List.of("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server")) {
      HttpResponse<String> response = get(deployment.proxyUrl() + path);
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      assertThat(answeredByGatehouse(response)).as(path).isTrue();
      assertThat(new JsonObject(response.body()))
          .isEqualTo(new JsonObject(get(deployment.gatehouseUrl() + path).body()));
    }
  }

  @Test
  void theInternalEndpointsAreRefusedByTheProxyAndAnsweredDirectly() throws Exception {
    String secret = deployment.sharedSecret();
    // Introspection: refused by nginx, answered by Gatehouse's own listener.
    HttpResponse<String> introspection = post(deployment.proxyUrl() + "/oauth2/introspect", secret,
        "application/x-www-form-urlencoded", "token=mat_nothing");
    assertRefusedByNginx(introspection);
    HttpResponse<String> direct = post(deployment.gatehouseUrl() + "/oauth2/introspect", secret,
        "application/x-www-form-urlencoded", "token=mat_nothing");
    assertThat(direct.statusCode()).as(direct.body()).isEqualTo(200);
    assertThat(new JsonObject(direct.body()).getBoolean("active")).isFalse();

    // Synapse's API for the auth server: refused by nginx, answered by Synapse's listener with the secret.
    assertRefusedByNginx(get(deployment.proxyUrl() + "/_synapse/mas/query_user?localpart=" + USERNAME, secret));
    assertRefusedByNginx(post(deployment.proxyUrl() + "/_synapse/mas/provision_user", secret, "application/json",
        "{\"localpart\":\"mallory\"}"));
    HttpResponse<String> query = get(deployment.synapseUrl() + "/_synapse/mas/query_user?localpart=nosuchuser", secret);
    assertThat(query.statusCode()).as(query.body()).isEqualTo(404);
    assertThat(new JsonObject(query.body()).getString("errcode")).isEqualTo("M_NOT_FOUND");
    assertThat(new JsonObject(query.body()).getString("error")).isEqualTo("User not found");
    HttpResponse<String> noSecret = get(deployment.synapseUrl() + "/_synapse/mas/query_user?localpart=" + USERNAME);
    assertThat(noSecret.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(noSecret.body()).getString("errcode")).isEqualTo("M_MISSING_TOKEN");

    // Gatehouse's endpoints for the homeserver.
    String reset = "/_gatehouse/homeserver/v1/cross_signing_reset/@" + USERNAME + ":" + SynapseDeployment.SERVER_NAME;
    assertRefusedByNginx(get(deployment.proxyUrl() + reset, secret));
    assertThat(get(deployment.gatehouseUrl() + reset, secret).statusCode()).isEqualTo(200);
  }

  @Test
  void passwordLoginReachesGatehouseNotSynapse() throws Exception {
    String body = "{\"type\":\"m.login.password\",\"identifier\":{\"type\":\"m.id.user\",\"user\":\"" + USERNAME
        + "\"},\"password\":\"" + PASSWORD + "\"}";
    HttpResponse<String> login = post(deployment.proxyUrl() + "/_matrix/client/v3/login", null, "application/json", body);
    assertThat(answeredByGatehouse(login)).isTrue();
    // Gatehouse's legacy login API starts a compatibility session (what it does at Synapse: SynapseEndToEndTest).
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    assertThat(new JsonObject(login.body()).getString("user_id")).isEqualTo("@" + USERNAME + ":localhost");
    // Synapse itself has no /login when it delegates.
    HttpResponse<String> synapse = post(deployment.synapseUrl() + "/_matrix/client/v3/login", null, "application/json",
        body);
    assertThat(synapse.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(synapse.body()).getString("errcode")).isEqualTo("M_UNRECOGNIZED");
  }

  @Test
  void eachPathReachesTheServerThatOwnsIt() throws Exception {
    String proxy = deployment.proxyUrl();
    List<String> toGatehouse = List.of("/login", "/register", "/logout", "/account", "/link", "/link/confirm",
        "/assets/gatehouse.css", "/oauth2/keys.json", "/oauth2/authorize", "/oauth2/consent",
        "/_matrix/client/v3/login", "/_matrix/client/r0/login", "/_matrix/client/unstable/login",
        "/_matrix/client/v3/login/sso/redirect", "/_matrix/client/v3/logout", "/_matrix/client/v3/logout/all",
        "/_matrix/client/v3/refresh",
        "/_matrix/client/v1/admin/suspend/@bob:localhost", "/_matrix/client/v1/admin/lock/@bob:localhost",
        "/_matrix/client/unstable/uk.timedout.msc4323/admin/lock/@bob:localhost",
        "/_matrix/client/v1/rendezvous", "/_matrix/client/unstable/io.element.msc4388/rendezvous",
        "/_matrix/client/unstable/org.matrix.msc4108/rendezvous", "/_gatehouse/admin/v1/users",
        "/_matrix/client/versions", "/_matrix/client/v3/capabilities", "/_matrix/client/r0/capabilities");
    for (String path : toGatehouse) {
      HttpResponse<String> response = get(proxy + path);
      assertThat(answeredByGatehouse(response)).as(path + " -> Gatehouse (" + response.statusCode() + ")").isTrue();
    }
    List<String> toSynapse = List.of("/_matrix/client/v3/account/whoami", "/_matrix/client/unstable/capabilities",
        "/_matrix/client/v3/devices", "/_matrix/client/v3/sync", "/_matrix/client/v1/auth_metadata",
        "/_matrix/client/unstable/org.matrix.msc2965/auth_metadata", "/_matrix/client/v3/register",
        "/_matrix/media/v3/config", "/.well-known/matrix/client", "/_synapse/admin/v1/server_version",
        "/_synapse/client/unknown");
    for (String path : toSynapse) {
      HttpResponse<String> response = get(proxy + path);
      assertThat(answeredByGatehouse(response)).as(path + " -> Synapse (" + response.statusCode() + ")").isFalse();
      assertThat(response.body()).as(path + " -> Synapse (" + response.statusCode() + ")").startsWith("{");
    }
    for (String path : List.of("/", "/index.html", "/_synapse/mass", "/_gatehouse/homeserverx")) {
      HttpResponse<String> response = get(proxy + path);
      assertThat(response.statusCode()).as(path).isIn(403, 404);
      assertThat(response.body()).as(path).contains("<center>nginx</center>");
    }
  }

  @Test
  void synapseCanBeStoppedAndStartedAgainWithItsData() throws Exception {
    String metadataBefore = get(deployment.proxyUrl() + "/_matrix/client/v1/auth_metadata").body();
    deployment.stack().stopSynapse();
    try {
      assertThat(deployment.stack().synapseRunning()).isFalse();
      // nginx answers for the missing upstream; Gatehouse's part of the routing still works.
      assertThat(get(deployment.proxyUrl() + "/_matrix/client/v3/account/whoami").statusCode()).isEqualTo(502);
      assertThat(get(deployment.proxyUrl() + "/.well-known/openid-configuration").statusCode()).isEqualTo(200);
    } finally {
      deployment.stack().startSynapse();
    }
    assertThat(get(deployment.proxyUrl() + "/_matrix/client/versions").statusCode()).isEqualTo(200);
    assertThat(new JsonObject(get(deployment.proxyUrl() + "/_matrix/client/v1/auth_metadata").body()))
        .isEqualTo(new JsonObject(metadataBefore));
    // Same database: the signing key was not generated again.
    assertThat(java.nio.file.Files.readString(deployment.stack().synapseLog()))
        .containsOnlyOnce("Generating signing key file");
  }

  /** Gatehouse puts an X-Request-Id on every answer (here nginx's id, kept); Synapse and nginx put none. */
  static boolean answeredByGatehouse(HttpResponse<String> response) {
    return response.headers().firstValue("X-Request-Id").isPresent();
  }

  static void assertRefusedByNginx(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
    assertThat(response.body()).contains("<center>nginx</center>");
    assertThat(answeredByGatehouse(response)).isFalse();
  }

  HttpResponse<String> get(String url) throws Exception {
    return get(url, null);
  }

  HttpResponse<String> post(String url, String bearer, String contentType, String body) throws Exception {
    return send("POST", url, bearer, body, contentType);
  }
}
