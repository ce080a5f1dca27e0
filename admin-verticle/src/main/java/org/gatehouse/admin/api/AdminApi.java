package org.gatehouse.admin.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ValidatorException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.gatehouse.admin.auth.AdminGate;
import org.gatehouse.admin.auth.AuthAccounts;
import org.gatehouse.admin.domain.LocalUserIds;
import org.gatehouse.admin.store.AuditLog;
import org.gatehouse.admin.store.ModerationStore;
import org.gatehouse.common.auth.Authenticator;
import org.gatehouse.common.http.ErrorRenderer;
import org.gatehouse.common.http.HttpEdge;
import org.gatehouse.common.module.NodeSettings;

/**
 * The admin API for tooling, {@code /_gatehouse/admin/v1/}, built from its OpenAPI document
 * ({@value #CONTRACT}): the document decides the routes and validates every request before a handler sees it.
 * The document itself is served at {@code openapi.yaml} and {@code openapi.json}, without authentication.
 *
 * <p>Order for every call: the administrator check (as a root handler, so before validation and any lookup),
 * then validation, then the operation's handler. Failures of all three come out as Matrix errors.
 */
public final class AdminApi {
  public static final String PREFIX = "/_gatehouse/admin/v1";
  static final String CONTRACT = "admin-api/openapi.yaml";
  /** The server URL written in the document; the served copies name the node's public base URL instead. */
  static final String DOCUMENT_SERVER = "http://127.0.0.1:8080" + PREFIX;

  /** What the handlers are built from. */
  public record Parts(AdminGate gate, LocalUserIds userIds, AuthAccounts accounts, ModerationStore moderation,
                      AuditLog audit, Clock clock, EventBus bus, boolean homeserverConnected) {
  }

  private AdminApi() {
  }

  /** Loads and checks the document, builds the router and mounts it (with the document) on {@code edge}. */
  public static Future<Void> mount(Vertx vertx, HttpEdge edge, NodeSettings node, Parts parts) {
    String server = node.url(PREFIX);
    return OpenAPIContract.from(vertx, CONTRACT).compose(contract -> vertx.fileSystem().readFile(CONTRACT)
        .map(file -> {
          Router router = edge.router();
          Buffer yaml = Buffer.buffer(file.toString().replace(DOCUMENT_SERVER, server));
          JsonObject raw = contract.getRawContract().copy();
          raw.put("servers", new JsonArray().add(new JsonObject().put("url", server)));
          Buffer json = raw.toBuffer();
          router.get(PREFIX + "/openapi.yaml").handler(ctx -> document(ctx, "application/yaml", yaml));
          router.get(PREFIX + "/openapi.json").handler(ctx -> document(ctx, "application/json", json));
          router.route(PREFIX + "/*").subRouter(build(vertx, contract, parts));
          // Bearer tokens only, no cookies: browser-based admin consoles may call from any origin.
          edge.cors().cover(PREFIX + "/", List.of(), List.of());
          return null;
        }));
  }

  static Router build(Vertx vertx, OpenAPIContract contract, Parts p) {
    AdminActions actions = new AdminActions(p.userIds(), p.accounts(), p.moderation(), new AuditTrail(p.audit()),
        p.clock());
    Map<String, Handler<RoutingContext>> operations = Map.ofEntries(
        Map.entry("listUsers", new ListUsersHandler(p.userIds(), new UserListing(p.accounts(), p.moderation()))),
        Map.entry("createUser", new CreateUserHandler(actions)),
        Map.entry("getUser", new GetUserHandler(actions)),
        Map.entry("setAdmin", new SetAdminHandler(actions)),
        Map.entry("deactivateUser", new DeactivateUserHandler(actions)),
        Map.entry("listSessions", new ListSessionsHandler(actions)),
        Map.entry("endSession", new EndSessionHandler(actions)),
        Map.entry("listDevices", new ListDevicesHandler(actions)),
        Map.entry("readAuditLog", new ReadAuditLogHandler(p.audit())),
        Map.entry("reloadAppservices", new ReloadAppservicesHandler(actions)),
        Map.entry("setDisplayName", new SetDisplayNameHandler(actions)),
        Map.entry("reconcileHomeserver", new ReconcileHomeserverHandler(p.bus(), p.homeserverConnected(), actions)));
    RouterBuilder builder = RouterBuilder.create(vertx, contract, new JsonByDefault());
    builder.rootHandler(ctx -> p.gate().admit(ctx, access(ctx.request().method()))
        .onSuccess(caller -> {
          ctx.put(ApiCalls.CALLER, caller);
          ctx.next();
        })
        .onFailure(ctx::fail));
    for (OpenAPIRoute route : builder.getRoutes()) {
      String id = route.getOperation().getOperationId();
      Handler<RoutingContext> handler = operations.get(id);
      if (handler == null) {
        throw new IllegalStateException("the admin API document has an operation without a handler: " + id);
      }
      // The bearer scheme in the document is for readers; the root handler does the authentication.
      route.setDoSecurity(false).addHandler(handler);
    }
    Router router = builder.createRouter();
    router.route().failureHandler(AdminApi::renderFailure);
    return router;
  }

  private static Authenticator.Access access(HttpMethod method) {
    return method == HttpMethod.GET || method == HttpMethod.HEAD ? Authenticator.Access.READ
        : Authenticator.Access.WRITE;
  }

  /** The validator's refusals as Matrix errors; everything else as the edge renders it. */
  private static void renderFailure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof HttpException http && http.getCause() instanceof ValidatorException validation) {
      failure = validation;
    }
    if (failure instanceof ValidatorException validation) {
      ErrorRenderer.render(ctx, ContractFailures.toMatrixError(validation));
    } else {
      ErrorRenderer.handleFailure(ctx);
    }
  }

  private static void document(RoutingContext ctx, String contentType, Buffer body) {
    ctx.response().putHeader("Content-Type", contentType).putHeader("Cache-Control", "public, max-age=3600").end(body);
  }
}
