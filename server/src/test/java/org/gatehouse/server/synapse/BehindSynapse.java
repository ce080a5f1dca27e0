package org.gatehouse.server.synapse;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gatehouse.common.auth.AuthAddresses;
import org.gatehouse.common.testing.OAuthTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The setup every test behind Synapse shares: the deployment of docs/synapse.md (Gatehouse, Synapse, nginx),
 * started once for the class and stopped after it, a Vert.x and an HTTP client for the test's own requests, an
 * OAuth client signing people in through the proxy, and a way to make an administrator.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BehindSynapse {
  static final String PASSWORD = "a long password for everyone";
  static final String SERVER = SynapseDeployment.SERVER_NAME;

  SynapseDeployment deployment;
  Vertx vertx;
  HttpClient http;
  /** Signs people in on Gatehouse's pages through the proxy. */
  OAuthTestClient oauth;

  /** What this class adds to Gatehouse's configuration (given the stack before anything starts). */
  Map<String, Object> gatehouseConfig(SynapseStack stack) {
    return Map.of();
  }

  @BeforeAll
  void startTheDeployment() throws Exception {
    deployment = SynapseDeployment.start(this::gatehouseConfig);
    vertx = Vertx.vertx();
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    oauth = new OAuthTestClient(vertx, deployment.proxyUrl());
  }

  @AfterAll
  void stopTheDeployment() {
    if (vertx != null) {
      vertx.close().await();
    }
    if (deployment != null) {
      deployment.close();
    }
  }

  /** Creates an administrator and signs them in as an admin tool does (with the admin scope); their token. */
  String administrator(String localpart) throws Exception {
    deployment.gatehouse().node(0).vertx().eventBus().request(AuthAddresses.ACCOUNT_CREATE, new JsonObject()
        .put("localpart", localpart).put("password", PASSWORD).put("admin", true)).await(30, TimeUnit.SECONDS);
    return oauth.signInAsAdministrator(localpart, PASSWORD).accessToken();
  }

  HttpResponse<String> get(String url, String bearer) throws Exception {
    return send("GET", url, bearer, null);
  }

  /** A request with an optional bearer token and JSON body. */
  HttpResponse<String> send(String method, String url, String bearer, String body) throws Exception {
    return send(method, url, bearer, body, "application/json");
  }

  HttpResponse<String> send(String method, String url, String bearer, String body, String type) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", type);
    }
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
