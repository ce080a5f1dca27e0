package org.gatehouse.common.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * CORS as the Matrix client-server API recommends, with the methods of MSC4138 added. Browser clients (Element
 * Web and friends) call Gatehouse from another origin, so every response on a covered prefix carries the
 * headers, and a preflight {@code OPTIONS} is answered here without reaching a route.
 *
 * <p>Modules may cover more prefixes or add headers for theirs (MSC4108 needs {@code If-Match} allowed and
 * {@code ETag} exposed); the longest matching prefix decides.
 *
 * <p>Kept instead of vertx-web's {@code CorsHandler}: that handler matches origins and acts only on requests that
 * carry an {@code Origin} header, while the Matrix API wants {@code Access-Control-Allow-Origin: *} on every
 * response of a covered prefix, and per-prefix extra headers decided by the longest prefix across modules.
 */
public final class MatrixCors implements Handler<RoutingContext> {
  public static final String ALLOW_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
  public static final List<String> ALLOW_HEADERS = List.of("X-Requested-With", "Content-Type", "Authorization");

  /** One covered prefix with the headers it allows and exposes beyond the defaults. */
  public record Rule(String prefix, String allowHeaders, String exposeHeaders) {
  }

  private final List<Rule> rules = new CopyOnWriteArrayList<>();

  public MatrixCors(List<String> prefixes) {
    prefixes.forEach(p -> cover(p, List.of(), List.of()));
  }

  /** Covers {@code prefix}, allowing {@code extraAllowHeaders} and exposing {@code exposeHeaders}. */
  public void cover(String prefix, List<String> extraAllowHeaders, List<String> exposeHeaders) {
    List<String> allow = new ArrayList<>(ALLOW_HEADERS);
    extraAllowHeaders.stream().filter(h -> !allow.contains(h)).forEach(allow::add);
    rules.add(new Rule(prefix, String.join(", ", allow), String.join(", ", exposeHeaders)));
    List<Rule> sorted = new ArrayList<>(rules);
    sorted.sort(Comparator.comparingInt((Rule r) -> r.prefix().length()).reversed());
    rules.clear();
    rules.addAll(sorted);
  }

  @Override
  public void handle(RoutingContext ctx) {
    Rule rule = ruleFor(ctx.normalizedPath());
    if (rule == null) {
      ctx.next();
      return;
    }
    HttpServerResponse response = ctx.response();
    response.putHeader("Access-Control-Allow-Origin", "*");
    response.putHeader("Access-Control-Allow-Methods", ALLOW_METHODS);
    response.putHeader("Access-Control-Allow-Headers", rule.allowHeaders());
    if (!rule.exposeHeaders().isEmpty()) {
      response.putHeader("Access-Control-Expose-Headers", rule.exposeHeaders());
    }
    if (ctx.request().method() == HttpMethod.OPTIONS) {
      response.putHeader("Access-Control-Max-Age", "86400").setStatusCode(204).end();
      return;
    }
    ctx.next();
  }

  private Rule ruleFor(String path) {
    for (Rule rule : rules) {
      if (path.startsWith(rule.prefix())) {
        return rule;
      }
    }
    return null;
  }
}
