package org.gatehouse.rendezvous.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.gatehouse.common.http.MatrixCors;
import org.gatehouse.common.http.MatrixError;
import org.gatehouse.common.module.NodeSettings;
import org.gatehouse.rendezvous.RendezvousConfig;
import org.gatehouse.rendezvous.domain.Precondition;
import org.gatehouse.rendezvous.domain.Protocol;
import org.gatehouse.rendezvous.domain.RendezvousSession;
import org.gatehouse.rendezvous.domain.WriteResult;
import org.gatehouse.rendezvous.service.LongPoll;
import org.gatehouse.rendezvous.service.RendezvousService;

/**
 * The MSC4108 ("2024") rendezvous API: {@code POST} a {@code text/plain} payload, get back the session URL, then
 * {@code GET} / {@code PUT} / {@code DELETE} that URL with strong ETags.
 *
 * <p>What real clients (matrix-js-sdk) depend on is honoured exactly: the GET content type is the bare
 * {@code text/plain}, every 200 carries an {@code ETag}, every response an explicit {@code Content-Length} (the
 * listener never compresses), and {@code no-transform} keeps proxies from rewriting bodies and tags.
 *
 * <p>Beyond the MSC, a GET with {@code If-None-Match} and {@code Prefer: wait=N} (RFC 7240, seconds) long-polls:
 * it answers 200 as soon as the session changes, or 304 after {@code N} seconds (capped by
 * {@code rendezvous.long_poll.max_wait}).
 */
public final class Msc4108Api {
  public static final String PREFIX = "/_matrix/client/unstable/org.matrix.msc4108/rendezvous";
  static final String TEXT_PLAIN = "text/plain";

  private final RendezvousService service;
  private final AccessGuard guard;
  private final RendezvousConfig config;
  private final NodeSettings node;

  public Msc4108Api(RendezvousService service, AccessGuard guard, RendezvousConfig config, NodeSettings node) {
    this.service = service;
    this.guard = guard;
    this.config = config;
    this.node = node;
  }

  public void mount(Router router, MatrixCors cors) {
    // Browsers must be allowed to send the conditional headers and to read the ETag.
    cors.cover(PREFIX, List.of("Content-Type", "If-Match", "If-None-Match", "Prefer"), List.of("ETag"));
    router.post(PREFIX).handler(this::create);
    router.get(PREFIX + "/:id").handler(this::read);
    router.put(PREFIX + "/:id").handler(this::write);
    router.delete(PREFIX + "/:id").handler(this::delete);
  }

  private void create(RoutingContext ctx) {
    guard.creation(ctx)
        .compose(allowed -> service.create(Protocol.MSC4108, PlainTextBody.read(ctx, config.maxPayloadChars())))
        .onSuccess(session -> {
          String body = new JsonObject().put("url", node.url(PREFIX + "/" + session.id())).encode();
          end(sessionHeaders(ctx.response().setStatusCode(201), session), "application/json", body);
        })
        .onFailure(ctx::fail);
  }

  private void read(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String ifNoneMatch = ctx.request().getHeader("If-None-Match");
    Precondition seen = ifNoneMatch == null ? null : EntityTags.ifNoneMatch(ifNoneMatch);
    Duration wait = seen == null || seen.any() || seen.tokens().size() != 1 ? Duration.ZERO
        : PreferWait.of(ctx.request().headers().getAll("Prefer"), config.longPollMaxWait());
    guard.access(ctx)
        .compose(allowed -> {
          if (wait.isZero()) {
            return service.read(id, Protocol.MSC4108);
          }
          LongPoll poll = service.awaitChange(id, Protocol.MSC4108, seen.tokens().get(0), wait);
          ctx.response().closeHandler(closed -> poll.cancel());
          return poll.result();
        })
        .onSuccess(session -> {
          HttpServerResponse response = sessionHeaders(ctx.response(), session);
          if (seen != null && seen.matches(session.token())) {
            response.setStatusCode(304).end();
          } else {
            end(response.setStatusCode(200), TEXT_PLAIN, session.data());
          }
        })
        .onFailure(ctx::fail);
  }

  private void write(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    guard.access(ctx)
        .compose(allowed -> {
          String data = PlainTextBody.read(ctx, config.maxPayloadChars());
          String ifMatch = ctx.request().getHeader("If-Match");
          if (ifMatch == null) {
            throw MatrixError.missingParam("If-Match is required: send the ETag of the last read or write");
          }
          return service.write(id, Protocol.MSC4108, EntityTags.ifMatch(ifMatch), data);
        })
        .compose(result -> {
          if (result instanceof WriteResult.Conflict) {
            // Like the reference implementation: the current ETag comes with the refusal.
            sessionHeaders(ctx.response(), result.session());
            return Future.failedFuture(new MatrixError(412, "M_CONCURRENT_WRITE", "The ETag does not match",
                new JsonObject().put("org.matrix.msc4108.errcode", "M_CONCURRENT_WRITE")));
          }
          return Future.succeededFuture(result.session());
        })
        .onSuccess(session -> end(sessionHeaders(ctx.response().setStatusCode(202), session), TEXT_PLAIN, ""))
        .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    guard.access(ctx)
        .compose(allowed -> service.delete(id, Protocol.MSC4108))
        .onSuccess(deleted -> ctx.response().setStatusCode(204).putHeader("Cache-Control", "no-store").end())
        .onFailure(ctx::fail);
  }

  private static HttpServerResponse sessionHeaders(HttpServerResponse response, RendezvousSession session) {
    return response
        .putHeader("ETag", EntityTags.of(session.token()))
        .putHeader("Expires", HttpDates.format(session.expiresAtMs()))
        .putHeader("Last-Modified", HttpDates.format(session.lastModifiedMs()))
        .putHeader("Cache-Control", "no-store, no-transform")
        .putHeader("Pragma", "no-cache");
  }

  /** Ends with a body of known length: never chunked, so the length is on the wire before the body. */
  private static void end(HttpServerResponse response, String contentType, String body) {
    Buffer bytes = Buffer.buffer(body.getBytes(StandardCharsets.UTF_8));
    response.putHeader("Content-Type", contentType)
        .putHeader("Content-Length", Integer.toString(bytes.length()))
        .end(bytes);
  }
}
