package org.gatehouse.auth.web.view;

/** A page that only says something: a refusal, an expired form, the end of a flow. */
public record MessageView(String title, String text) implements PageView {
  @Override
  public String template() {
    return "message.jte";
  }
}
