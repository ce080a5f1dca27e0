package org.gatehouse.rendezvous;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.gatehouse.common.auth.AuthAddresses;
import org.gatehouse.common.auth.Requester;
import org.gatehouse.common.auth.ResolveRequest;
import org.gatehouse.common.bus.BusErrors;
import org.gatehouse.common.config.ConfigNode;
import org.gatehouse.common.http.MatrixError;
import org.gatehouse.common.testing.ModuleServer;
import org.gatehouse.common.testing.MutableClock;

/**
 * The rendezvous module in a {@link ModuleServer} (real edge, Hazelcast, PostgreSQL), with the auth module's
 * requester-resolution contract answered by a stand-in: token {@code good} is Alice, {@code suspended} a
 * suspended user, {@code locked} a locked one, anything else unknown.
 *
 * <p>The server trusts 127.0.0.1 as a proxy unless told otherwise, so each test can act from its own client
 * address ({@code X-Forwarded-For}) and keep its own rate-limit buckets.
 */
final class TestServer {
  private static final AtomicInteger ADDRESSES = new AtomicInteger();

  /**
   * Long polls held 4 s at most: long enough that a request wrongly held until {@code max_wait} is told apart from
   * one answered at once, even on a loaded machine.
   */
  static final Map<String, Object> LONG_POLLS = Map.of("long_poll", Map.of("max_wait", "4s"));

  final ModuleServer server;
  final MutableClock clock = MutableClock.startingNow();

  private TestServer(ModuleServer server) {
    this.server = server;
  }

  /** The module with {@code config} on {@code vertx} (the test's, from {@code VertxExtension}); it ends with it. */
  static TestServer start(Vertx vertx, Map<String, Object> config) throws Exception {
    return start(vertx, config, List.of("127.0.0.1"));
  }

  static TestServer start(Vertx vertx, Map<String, Object> config, List<String> trustedProxies) throws Exception {
    TestServer test = new TestServer(ModuleServer.on(vertx, trustedProxies));
    test.server.vertx().eventBus().<JsonObject>localConsumer(AuthAddresses.RESOLVE_REQUESTER, message -> {
      ResolveRequest request = ResolveRequest.fromJson(message.body());
      switch (request.token()) {
        case "good" -> message.reply(requester(false, false).toJson());
        case "suspended" -> message.reply(requester(false, true).toJson());
        case "locked" -> message.reply(requester(true, false).toJson());
        // A token the user granted only "openid" (sign in with Matrix): no client-server API scope.
        case "openid-only" -> message.reply(new Requester("@alice:test.local", null, List.of("openid"), false, null,
            "session", false, false).toJson());
        default -> BusErrors.reply(message, MatrixError.unknownToken("Unknown access token", false));
      }
    }).completion().await(10, TimeUnit.SECONDS);
    test.server.start(new RendezvousModule(), ConfigNode.of(config), test.clock);
    return test;
  }

  private static Requester requester(boolean locked, boolean suspended) {
    return new Requester("@alice:test.local", "DEVICE", List.of("urn:matrix:client:api:*"), false, null, "session",
        locked, suspended);
  }

  /** A client address no other test uses. */
  static String newAddress() {
    int n = ADDRESSES.incrementAndGet();
    return "10." + (n >> 16 & 0xff) + "." + (n >> 8 & 0xff) + "." + (n & 0xff);
  }

  /** A request from {@code address} (sent as {@code X-Forwarded-For}; null sends none). */
  Call call(HttpMethod method, String path, String address) {
    HttpRequest<Buffer> request = server.client().request(method, path);
    if (address != null) {
      request.putHeader("X-Forwarded-For", address);
    }
    return new Call(request);
  }

  /** A request from a fresh client address. */
  Call call(HttpMethod method, String path) {
    return call(method, path, newAddress());
  }

  /** One request being built. */
  static final class Call {
    final HttpRequest<Buffer> request;

    Call(HttpRequest<Buffer> request) {
      this.request = request;
    }

    Call header(String name, String value) {
      request.putHeader(name, value);
      return this;
    }

    Call query(String name, String value) {
      request.addQueryParam(name, value);
      return this;
    }

    MultiMap headers() {
      return request.headers();
    }

    Future<HttpResponse<Buffer>> sendAsync() {
      return request.send();
    }

    HttpResponse<Buffer> send() throws Exception {
      return request.send().await(30, TimeUnit.SECONDS);
    }

    HttpResponse<Buffer> json(JsonObject body) throws Exception {
      return request.sendJsonObject(body).await(30, TimeUnit.SECONDS);
    }

    HttpResponse<Buffer> body(String contentType, String body) throws Exception {
      return body(contentType, Buffer.buffer(body));
    }

    HttpResponse<Buffer> body(String contentType, Buffer body) throws Exception {
      if (contentType != null) {
        request.putHeader("Content-Type", contentType);
      }
      return request.sendBuffer(body).await(30, TimeUnit.SECONDS);
    }

    Future<HttpResponse<Buffer>> bodyAsync(String contentType, String body) {
      request.putHeader("Content-Type", contentType);
      return request.sendBuffer(Buffer.buffer(body));
    }
  }
}
