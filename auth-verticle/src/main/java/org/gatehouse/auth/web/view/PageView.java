package org.gatehouse.auth.web.view;

/**
 * What one page shows, as a record of plain values: the template named by {@link #template()} turns it into HTML
 * (jte, {@code ContentType.Html}, so every value is escaped for where it stands). Views hold no markup.
 */
public interface PageView {
  /** The template under {@code src/main/jte}, e.g. {@code signIn.jte}. */
  String template();
}
