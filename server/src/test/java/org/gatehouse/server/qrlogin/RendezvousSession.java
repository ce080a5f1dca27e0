package org.gatehouse.server.qrlogin;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * One device's end of an MSC4388 rendezvous session, over Gatehouse's endpoints: {@code POST …/rendezvous},
 * {@code GET …/rendezvous/{id}}, {@code PUT …/rendezvous/{id}} with {@code {"sequence_token", "data"}} (Gatehouse
 * serves the PUT without the {@code /{txnId}} segment of the latest MSC text) and {@code DELETE}. It keeps the two
 * sequence tokens the secure channel binds messages to: the one of the last read (the creator's {@code POST} counts)
 * and the one of the device's own last write. Blocking calls: a device runs on its own thread.
 *
 * <p>Waiting for the other device uses Gatehouse's long-poll ({@code ?since=&timeout_ms=}, beyond the MSC): one
 * request per change instead of one per second. Writes follow the MSC's ping-pong: a device reads the other's
 * message before it writes again.
 */
final class RendezvousSession {
  private static final long LONG_POLL_MS = 20_000;

  private final WebClient http;
  private final Route route;
  private final String url;
  private final String id;
  private final Wire wire;
  private final Instant expiresAt;
  private String readToken;
  private String writtenToken;
  private String latestToken;
  private String lastData;

  private RendezvousSession(WebClient http, Route route, String url, String id, Wire wire, Instant expiresAt,
                            String readToken, String writtenToken, String data) {
    this.http = http;
    this.route = route;
    this.url = url;
    this.id = id;
    this.wire = wire;
    this.expiresAt = expiresAt;
    this.readToken = readToken;
    this.writtenToken = writtenToken;
    this.latestToken = readToken;
    this.lastData = data;
  }

  /** Step 2 of "Establishment": device G creates the session with an empty payload. */
  static RendezvousSession create(WebClient http, Route route, String homeserverBase, QrCode.Prefix prefix,
                                  Wire wire) {
    String api = withoutTrailingSlash(homeserverBase) + prefix.apiPath();
    wire.saw("");
    HttpResponse<Buffer> created = await(http.postAbs(route.url(api)).sendJsonObject(new JsonObject().put("data", "")));
    JsonObject body = expect(created, 200, "POST " + api);
    String token = body.getString("sequence_token");
    return new RendezvousSession(http, route, api + "/" + body.getString("id"), body.getString("id"), wire,
        expiry(body), token, token, "");
  }

  /** Device S finds the session named by the QR code: the read whose token LoginInitiateMessage is sealed with. */
  static RendezvousSession join(WebClient http, Route route, QrCode scanned, Wire wire) {
    String url = scanned.requestBase() + scanned.prefix().apiPath() + "/" + scanned.rendezvousId();
    JsonObject body = expect(await(http.getAbs(route.url(url)).send()), 200, "GET " + url);
    wire.saw(body.getString("data"));
    return new RendezvousSession(http, route, url, scanned.rendezvousId(), wire, expiry(body),
        body.getString("sequence_token"), null, body.getString("data"));
  }

  String id() {
    return id;
  }

  /** Sequence token of this device's last read ({@code GET}, or the creating {@code POST}). */
  String lastReadToken() {
    return readToken;
  }

  /** Sequence token this device's own last write ({@code PUT}, or the creating {@code POST}) produced. */
  String lastWrittenToken() {
    return writtenToken;
  }

  String lastData() {
    return lastData;
  }

  /** Overwrites the payload; the {@code sequence_token} sent is that of the last read, as the MSC requires. */
  void send(String data) {
    if (!readToken.equals(latestToken)) {
      throw new IllegalStateException("read the other device's message before writing again (ping-pong)");
    }
    wire.saw(data);
    HttpResponse<Buffer> written = await(http.putAbs(route.url(url))
        .sendJsonObject(new JsonObject().put("sequence_token", readToken).put("data", data)));
    writtenToken = expect(written, 200, "PUT " + url).getString("sequence_token");
    latestToken = writtenToken;
    lastData = data;
  }

  /** Waits for the other device's next write and returns it. */
  String receive() {
    while (Instant.now().isBefore(expiresAt)) {
      HttpResponse<Buffer> read = await(http.getAbs(route.url(url)).addQueryParam("since", latestToken)
          .addQueryParam("timeout_ms", Long.toString(LONG_POLL_MS)).send());
      JsonObject body = expect(read, 200, "GET " + url);
      if (!latestToken.equals(body.getString("sequence_token"))) {
        wire.saw(body.getString("data"));
        readToken = body.getString("sequence_token");
        latestToken = readToken;
        lastData = body.getString("data");
        return lastData;
      }
    }
    throw new IllegalStateException("the rendezvous session expired while waiting for the other device");
  }

  /** Cancels the session ({@code DELETE}); it answers 404 from then on. */
  void delete() {
    expect(await(http.deleteAbs(route.url(url)).send()), 200, "DELETE " + url);
  }

  /** Gives up on the session (after a failure): best effort, so the other device stops waiting at once. */
  void cancel() {
    try {
      await(http.deleteAbs(route.url(url)).send());
    } catch (RuntimeException ignored) {
      // the failure being handled matters more
    }
  }

  /** A plain {@code GET} of the session, whatever the answer (for checks). */
  HttpResponse<Buffer> peek() {
    return await(http.getAbs(route.url(url)).send());
  }

  private static Instant expiry(JsonObject body) {
    return Instant.now().plusMillis(body.getLong("expires_in_ms"));
  }

  private static JsonObject expect(HttpResponse<Buffer> response, int status, String what) {
    if (response.statusCode() != status) {
      throw new IllegalStateException(what + ": " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.await(LONG_POLL_MS + 20_000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String withoutTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
