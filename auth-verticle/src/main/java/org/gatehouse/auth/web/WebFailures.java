package org.gatehouse.auth.web;

import io.vertx.ext.web.RoutingContext;
import org.gatehouse.auth.web.view.MessageView;
import org.gatehouse.common.http.HttpEdge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Failures on the web pages are pages too: a person is looking, not a program. */
public final class WebFailures {
  private static final Logger LOG = LoggerFactory.getLogger(WebFailures.class);

  private final Pages pages;

  public WebFailures(Pages pages) {
    this.pages = pages;
  }

  public void handle(RoutingContext ctx) {
    String requestId = ctx.get(HttpEdge.REQUEST_ID);
    if (ctx.statusCode() == 413) {
      pages.send(ctx, 413, new MessageView("Too much data", "The form sent too much data."));
      return;
    }
    LOG.error("request_id={} page failed: {} {}", requestId, ctx.request().method(), ctx.normalizedPath(), ctx.failure());
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    pages.send(ctx, 500, new MessageView("Something went wrong",
        "Please try again in a moment. If it keeps happening, give the administrators this reference: " + requestId));
  }
}
