package org.gatehouse.auth.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.gatehouse.auth.web.view.PageView;

/**
 * Renders the pages: one jte template per view under {@code src/main/jte}, all in the shared layout
 * ({@code layout.jte}: the stylesheet, no script, nothing inline, which the CSP of {@link PageResponses} requires).
 * The templates are turned into Java classes at build time ({@code jte-maven-plugin}) and loaded here from the class
 * path, so nothing is compiled when a node starts. {@code ContentType.Html} escapes every value for where it stands
 * (text, attribute); no page writes HTML of its own.
 */
public final class Pages {
  /** Where the build generates the template classes (auth-verticle's pom). */
  static final String TEMPLATE_PACKAGE = "org.gatehouse.auth.web.templates";

  private final TemplateEngine engine = TemplateEngine.createPrecompiled(null, ContentType.Html, null,
      TEMPLATE_PACKAGE);
  private final String serverName;

  public Pages(String serverName) {
    this.serverName = serverName;
  }

  public String render(PageView view) {
    StringOutput html = new StringOutput();
    engine.render(view.template(), Map.of("serverName", serverName, "view", view), html);
    return html.toString();
  }

  /** Renders {@code view} and sends it with the headers every page carries. */
  public void send(RoutingContext ctx, int status, PageView view) {
    PageResponses.html(ctx, status, render(view));
  }
}
