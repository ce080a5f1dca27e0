package org.gatehouse.auth.web.view;

/** The form for the code a new device shows, with the code typed so far and why it was refused, if it was. */
public record LinkCodeView(String csrf, String typed, String error) implements PageView {
  @Override
  public String template() {
    return "link/code.jte";
  }
}
