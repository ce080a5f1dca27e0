package org.gatehouse.common.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The HTTP edge every module shares: one router served by the node's public listener.
 *
 * <p>Before any module route it gives each request an id ({@code X-Request-Id}, also in the access log),
 * works out the client address, writes the access log, answers CORS on the Matrix prefixes and buffers bodies
 * up to the configured limit. Modules add their routes to {@link #router()} while they start; the node then
 * calls {@link #seal()}, which installs {@link ErrorRenderer} behind everything so that unknown paths, wrong
 * methods, oversized bodies and failures all come out as Matrix errors — except under the path prefixes a module
 * claimed with {@link #renderErrorsUnder}, whose own renderer answers them (RFC 6749 bodies under {@code /oauth2/}).
 */
public final class HttpEdge {
  /** Routing-context key of the request id. */
  public static final String REQUEST_ID = "gatehouse.request_id";
  /** Routing-context key of the client address (after trusted-proxy resolution). */
  public static final String CLIENT_ADDRESS = "gatehouse.client_address";
  public static final String REQUEST_ID_HEADER = "X-Request-Id";

  private static final HexFormat HEX = HexFormat.of();
  private static final Pattern ACCEPTABLE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{8,128}");

  private final Router router;
  private final MatrixCors cors;
  private final EdgeSettings settings;
  private final List<Map.Entry<String, Handler<RoutingContext>>> renderers = new CopyOnWriteArrayList<>();
  private boolean sealed;

  public HttpEdge(Vertx vertx, EdgeSettings settings) {
    this.settings = settings;
    this.router = Router.router(vertx);
    this.cors = new MatrixCors(settings.corsPathPrefixes());
    router.route().handler(this::identify);
    router.route().handler(new AccessLog());
    router.route().handler(cors);
    // GET and HEAD (most of the traffic: polls) carry no body worth buffering. (Not a method-restricted route: a
    // path-less route limited to some methods would turn every unknown path into a 405.)
    BodyHandler bodies = BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()).setMergeFormAttributes(false);
    router.route().handler(ctx -> {
      HttpMethod method = ctx.request().method();
      if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
        ctx.next();
      } else {
        bodies.handle(ctx);
      }
    });
  }

  /** The router modules add their routes to. */
  public Router router() {
    return router;
  }

  public MatrixCors cors() {
    return cors;
  }

  public EdgeSettings settings() {
    return settings;
  }

  /**
   * Makes {@code renderer} answer the router's own failures (unknown path, wrong method, body too large, failures
   * no route handled) for paths starting with {@code pathPrefix}, instead of {@link ErrorRenderer}. Call while
   * adding routes, before {@link #seal()}.
   */
  public void renderErrorsUnder(String pathPrefix, Handler<RoutingContext> renderer) {
    renderers.add(Map.entry(pathPrefix, renderer));
  }

  /** Installs the error rendering behind every route; call once, after all modules have added routes. */
  public synchronized void seal() {
    if (sealed) {
      return;
    }
    sealed = true;
    router.route().failureHandler(this::renderFailure);
    for (int status : List.of(400, 404, 405, 413, 500)) {
      router.errorHandler(status, this::renderFailure);
    }
  }

  private void renderFailure(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    for (Map.Entry<String, Handler<RoutingContext>> renderer : renderers) {
      if (path != null && path.startsWith(renderer.getKey())) {
        renderer.getValue().handle(ctx);
        return;
      }
    }
    ErrorRenderer.handleFailure(ctx);
  }

  /** The client address of a request, as resolved by the edge. */
  public static String clientAddress(RoutingContext ctx) {
    return ctx.get(CLIENT_ADDRESS);
  }

  /** Request ids only need to be unique, not secret: no SecureRandom (nor String.format) on the hot path. */
  private static String newRequestId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong());
  }

  private void identify(RoutingContext ctx) {
    String offered = ctx.request().getHeader(REQUEST_ID_HEADER);
    // A proxy's request id is kept so that both logs can be joined; anything odd is replaced.
    String id = offered != null && ACCEPTABLE_REQUEST_ID.matcher(offered).matches() ? offered : newRequestId();
    ctx.put(REQUEST_ID, id);
    ctx.response().putHeader(REQUEST_ID_HEADER, id);
    String peer = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    ctx.put(CLIENT_ADDRESS, settings.trustedProxies().clientAddress(peer, ctx.request().headers().getAll("X-Forwarded-For")));
    ctx.next();
  }
}
