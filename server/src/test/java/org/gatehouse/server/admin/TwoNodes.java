package org.gatehouse.server.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.gatehouse.common.testing.OAuthTestClient;
import org.gatehouse.server.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The setup the admin cluster tests share: two full nodes on one database and one cluster, started for the class and
 * closed after it; an HTTP client on the extension's Vert.x (which it closes after the class); accounts made through
 * the auth module as the command line makes them; administrators signed in with the admin scope; and requests to
 * either node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(VertxExtension.class)
abstract class TwoNodes {
  static final String PASSWORD = "correct horse battery";
  static final String SERVER = "test.local";

  TestNodes nodes;
  /** The tests' own Vert.x (for their clients), from the extension. */
  Vertx vertx;
  WebClient http;

  @BeforeAll
  void startTheNodes(Vertx vertx) {
    nodes = TestNodes.start(2);
    this.vertx = vertx;
    http = WebClient.create(vertx);
  }

  @AfterAll
  void stopTheNodes() {
    nodes.close();
  }

  /** An OAuth client signing people in on node {@code node}. */
  OAuthTestClient client(int node) {
    return new OAuthTestClient(vertx, nodes.url(node));
  }

  /** Creates an account the way {@code gatehouse user add} does, straight through the auth module; its user ID. */
  String createUser(String localpart, boolean admin) {
    nodes.createUser(localpart, PASSWORD, admin);
    return "@" + localpart + ":" + SERVER;
  }

  /** Creates an administrator and signs them in on {@code node} as an admin tool does (with the admin scope); their token. */
  String administrator(int node, String localpart) throws Exception {
    createUser(localpart, true);
    return client(node).signInAsAdministrator(localpart, PASSWORD).accessToken();
  }

  static String enc(String userId) {
    return URLEncoder.encode(userId, StandardCharsets.UTF_8);
  }

  /** A request to node {@code node} with an optional bearer token and JSON body, not waited for. */
  Future<HttpResponse<Buffer>> request(int node, HttpMethod method, String path, String token, JsonObject body) {
    HttpRequest<Buffer> request = http.requestAbs(method, nodes.url(node) + path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return body == null ? request.send() : request.sendJsonObject(body);
  }

  /** {@link #request}, answered. */
  HttpResponse<Buffer> send(int node, HttpMethod method, String path, String token, JsonObject body) throws Exception {
    return request(node, method, path, token, body).await(30, TimeUnit.SECONDS);
  }
}
