package org.gatehouse.rendezvous.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import org.gatehouse.common.http.JsonBodies;
import org.gatehouse.common.http.MatrixError;
import org.gatehouse.rendezvous.RendezvousConfig;
import org.gatehouse.rendezvous.domain.Precondition;
import org.gatehouse.rendezvous.domain.Protocol;
import org.gatehouse.rendezvous.domain.RendezvousSession;
import org.gatehouse.rendezvous.domain.WriteResult;
import org.gatehouse.rendezvous.service.LongPoll;
import org.gatehouse.rendezvous.service.RendezvousService;

/**
 * The MSC4388 ("2025") rendezvous API: JSON bodies and a {@code sequence_token}, on the stable path and the
 * unstable one clients use today. The two differ only in the errcode of a stale write.
 *
 * <p>Beyond the MSC, {@code GET /rendezvous/{id}?since=<sequence_token>&timeout_ms=<ms>} long-polls: the answer
 * comes as soon as the token differs from {@code since}, or after {@code timeout_ms} (capped by
 * {@code rendezvous.long_poll.max_wait}) with the unchanged state. Without {@code since} nothing waits.
 *
 * <p>Writes are {@code PUT /rendezvous/{id}} as our contract says; the MSC's latest text adds a transaction id,
 * {@code PUT /rendezvous/{id}/{txnId}}, which is served the same way (a resent write is recognised by its
 * previous token and unchanged data, so the transaction id adds nothing the server needs).
 */
public final class Msc4388Api {
  public static final String STABLE_PREFIX = "/_matrix/client/v1/rendezvous";
  public static final String UNSTABLE_PREFIX = "/_matrix/client/unstable/io.element.msc4388/rendezvous";
  public static final String STABLE_CONFLICT = "M_CONCURRENT_WRITE";
  public static final String UNSTABLE_CONFLICT = "IO_ELEMENT_MSC4388_CONCURRENT_WRITE";
  public static final String SINCE_PARAM = "since";
  public static final String TIMEOUT_PARAM = "timeout_ms";

  private final RendezvousService service;
  private final AccessGuard guard;
  private final RendezvousConfig config;

  public Msc4388Api(RendezvousService service, AccessGuard guard, RendezvousConfig config) {
    this.service = service;
    this.guard = guard;
    this.config = config;
  }

  public void mount(Router router) {
    mount(router, STABLE_PREFIX, STABLE_CONFLICT);
    mount(router, UNSTABLE_PREFIX, UNSTABLE_CONFLICT);
  }

  private void mount(Router router, String prefix, String conflictErrcode) {
    router.get(prefix).handler(this::discover);
    router.post(prefix).handler(this::create);
    router.get(prefix + "/:id").handler(this::read);
    router.put(prefix + "/:id").handler(ctx -> write(ctx, conflictErrcode));
    router.put(prefix + "/:id/:txnId").handler(ctx -> write(ctx, conflictErrcode));
    router.delete(prefix + "/:id").handler(this::delete);
  }

  /** Discovery: may this requester create a session? In {@code authenticated} mode only with a valid token. */
  private void discover(RoutingContext ctx) {
    guard.access(ctx)
        .compose(allowed -> creatorAllowed(ctx))
        .onSuccess(allowed -> json(ctx, new JsonObject().put("create_available", true)))
        .onFailure(ctx::fail);
  }

  private void create(RoutingContext ctx) {
    guard.creation(ctx)
        .compose(allowed -> creatorAllowed(ctx))
        .compose(allowed -> {
          JsonObject body = JsonBodies.object(ctx);
          String data = Payloads.checkLength(JsonBodies.requiredString(body, "data"), config.maxPayloadChars());
          return service.create(Protocol.MSC4388, data);
        })
        .onSuccess(session -> json(ctx, withExpiry(new JsonObject().put("id", session.id())
            .put("sequence_token", session.token()), session)))
        .onFailure(ctx::fail);
  }

  private void read(RoutingContext ctx) {
    if (SecFetch.looksLikeNavigation(ctx.request())) {
      throw MatrixError.forbidden("Rendezvous sessions cannot be opened by browser navigation");
    }
    String id = ctx.pathParam("id");
    String since = ctx.queryParams().get(SINCE_PARAM);
    Duration wait = since == null ? Duration.ZERO : requestedWait(ctx);
    guard.access(ctx)
        .compose(allowed -> {
          if (wait.isZero()) {
            return service.read(id, Protocol.MSC4388);
          }
          LongPoll poll = service.awaitChange(id, Protocol.MSC4388, since, wait);
          ctx.response().closeHandler(closed -> poll.cancel());
          return poll.result();
        })
        .onSuccess(session -> json(ctx, withExpiry(new JsonObject().put("data", session.data())
            .put("sequence_token", session.token()), session)))
        .onFailure(ctx::fail);
  }

  private void write(RoutingContext ctx, String conflictErrcode) {
    String id = ctx.pathParam("id");
    guard.access(ctx)
        .compose(allowed -> {
          JsonObject body = JsonBodies.object(ctx);
          String token = JsonBodies.requiredString(body, "sequence_token");
          String data = Payloads.checkLength(JsonBodies.requiredString(body, "data"), config.maxPayloadChars());
          return service.write(id, Protocol.MSC4388, Precondition.token(token), data);
        })
        .compose(result -> result instanceof WriteResult.Conflict
            ? Future.failedFuture(new MatrixError(409, conflictErrcode,
                "The sequence_token is not the current one: another write came first"))
            : Future.succeededFuture(result.session()))
        .onSuccess(session -> json(ctx, new JsonObject().put("sequence_token", session.token())))
        .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    guard.access(ctx)
        .compose(allowed -> service.delete(id, Protocol.MSC4388))
        .onSuccess(deleted -> json(ctx, new JsonObject()))
        .onFailure(ctx::fail);
  }

  private Future<Void> creatorAllowed(RoutingContext ctx) {
    return config.msc4388Mode() == RendezvousConfig.Msc4388Mode.AUTHENTICATED
        ? guard.requester(ctx).mapEmpty()
        : Future.succeededFuture();
  }

  private Duration requestedWait(RoutingContext ctx) {
    String raw = ctx.queryParams().get(TIMEOUT_PARAM);
    if (raw == null) {
      return Duration.ZERO;
    }
    if (!raw.matches("\\d{1,12}")) {
      throw MatrixError.invalidParam(TIMEOUT_PARAM + " must be a number of milliseconds");
    }
    Duration wanted = Duration.ofMillis(Long.parseLong(raw));
    return wanted.compareTo(config.longPollMaxWait()) > 0 ? config.longPollMaxWait() : wanted;
  }

  /** Both the relative expiry (immune to clock skew) and the absolute one an earlier MSC text used. */
  private JsonObject withExpiry(JsonObject body, RendezvousSession session) {
    return body.put("expires_in_ms", session.expiresIn(service.clock().millis()).toMillis())
        .put("expires_ts", session.expiresAtMs());
  }

  private static void json(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }
}
