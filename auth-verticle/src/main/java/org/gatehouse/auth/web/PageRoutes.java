package org.gatehouse.auth.web;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the pages mount their routes. Every route runs the browser session handlers first, then the page's guards
 * and handlers in the order given (a guard ends the response or calls {@code next()}), and shows failures as
 * pages; every POST route starts with a {@link CsrfGuard}.
 */
public final class PageRoutes {
  private final Router router;
  private final List<Handler<RoutingContext>> session;
  private final WebFailures failures;

  /** @param session what runs before any page handler: the browser session and the limits on it */
  public PageRoutes(Router router, List<Handler<RoutingContext>> session, WebFailures failures) {
    this.router = router;
    this.session = List.copyOf(session);
    this.failures = failures;
  }

  @SafeVarargs
  public final void get(String path, Handler<RoutingContext>... handlers) {
    mount(HttpMethod.GET, path, List.of(handlers));
  }

  /** A form's target: {@code csrf} first, then {@code handlers}. */
  @SafeVarargs
  public final void post(String path, CsrfGuard csrf, Handler<RoutingContext>... handlers) {
    List<Handler<RoutingContext>> guarded = new ArrayList<>();
    guarded.add(csrf);
    guarded.addAll(List.of(handlers));
    mount(HttpMethod.POST, path, guarded);
  }

  private void mount(HttpMethod method, String path, List<Handler<RoutingContext>> handlers) {
    Route route = router.route(method, path);
    session.forEach(route::handler);
    handlers.forEach(route::handler);
    route.failureHandler(failures::handle);
  }
}
