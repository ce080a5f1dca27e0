package org.gatehouse.server.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Both rendezvous wire formats as a client speaks them, aimed at any node by its base URL. Each request comes from
 * its own client address ({@code X-Forwarded-For}, believed from the loopback proxy the cluster tests configure),
 * so the per-address rate limits never get in the way of tests about something else.
 */
final class RendezvousClient implements AutoCloseable {
  static final String MSC4388 = "/_matrix/client/unstable/io.element.msc4388/rendezvous";
  static final String MSC4108 = "/_matrix/client/unstable/org.matrix.msc4108/rendezvous";
  private static final AtomicInteger ADDRESSES = new AtomicInteger();

  /** A session as the client last saw it: MSC4388 id and sequence token, or MSC4108 path and ETag. */
  record Seen(boolean msc4108, String path, String token, String data) {
  }

  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx);

  static String newAddress() {
    int n = ADDRESSES.incrementAndGet();
    return "10.9." + (n >> 8 & 0xff) + "." + (n & 0xff);
  }

  HttpRequest<Buffer> request(HttpMethod method, String url, String address) {
    return client.requestAbs(method, url).putHeader("X-Forwarded-For", address);
  }

  HttpRequest<Buffer> request(HttpMethod method, String url) {
    return request(method, url, newAddress());
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.await(60, TimeUnit.SECONDS);
  }

  Seen create(String node, boolean msc4108, String data) throws Exception {
    if (msc4108) {
      HttpResponse<Buffer> created = await(request(HttpMethod.POST, node + MSC4108)
          .putHeader("Content-Type", "text/plain").sendBuffer(Buffer.buffer(data)));
      assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
      String url = created.bodyAsJsonObject().getString("url");
      return new Seen(true, url.substring(url.indexOf(MSC4108)), created.getHeader("ETag"), data);
    }
    HttpResponse<Buffer> created = await(request(HttpMethod.POST, node + MSC4388)
        .sendJsonObject(new JsonObject().put("data", data)));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(200);
    JsonObject body = created.bodyAsJsonObject();
    return new Seen(false, MSC4388 + "/" + body.getString("id"), body.getString("sequence_token"), data);
  }

  /** Reads the session through {@code node}; fails unless it is there. */
  Seen read(String node, Seen seen) throws Exception {
    HttpResponse<Buffer> response = await(request(HttpMethod.GET, node + seen.path()).send());
    assertThat(response.statusCode()).as("GET %s on %s: %s", seen.path(), node, response.bodyAsString())
        .isEqualTo(200);
    return parseRead(seen, response);
  }

  Seen parseRead(Seen seen, HttpResponse<Buffer> response) {
    if (seen.msc4108()) {
      return new Seen(true, seen.path(), response.getHeader("ETag"), response.bodyAsString());
    }
    JsonObject body = response.bodyAsJsonObject();
    return new Seen(false, seen.path(), body.getString("sequence_token"), body.getString("data"));
  }

  /** Writes {@code data} through {@code node} with the token last seen; fails unless it is accepted. */
  Seen write(String node, Seen seen, String data) throws Exception {
    if (seen.msc4108()) {
      HttpResponse<Buffer> response = await(request(HttpMethod.PUT, node + seen.path())
          .putHeader("Content-Type", "text/plain").putHeader("If-Match", seen.token()).sendBuffer(Buffer.buffer(data)));
      assertThat(response.statusCode()).as("PUT %s on %s: %s", seen.path(), node, response.bodyAsString())
          .isEqualTo(202);
      return new Seen(true, seen.path(), response.getHeader("ETag"), data);
    }
    HttpResponse<Buffer> response = await(request(HttpMethod.PUT, node + seen.path())
        .sendJsonObject(new JsonObject().put("sequence_token", seen.token()).put("data", data)));
    assertThat(response.statusCode()).as("PUT %s on %s: %s", seen.path(), node, response.bodyAsString())
        .isEqualTo(200);
    return new Seen(false, seen.path(), response.bodyAsJsonObject().getString("sequence_token"), data);
  }

  /** A long-poll on {@code node} for a change from {@code seen}, waiting up to {@code seconds}. */
  Future<HttpResponse<Buffer>> longPoll(String node, Seen seen, int seconds) {
    HttpRequest<Buffer> request = request(HttpMethod.GET, node + seen.path());
    if (seen.msc4108()) {
      request.putHeader("If-None-Match", seen.token()).putHeader("Prefer", "wait=" + seconds);
    } else {
      request.addQueryParam("since", seen.token()).addQueryParam("timeout_ms", Integer.toString(seconds * 1000));
    }
    return request.send();
  }

  HttpResponse<Buffer> delete(String node, Seen seen) throws Exception {
    return await(request(HttpMethod.DELETE, node + seen.path()).send());
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
