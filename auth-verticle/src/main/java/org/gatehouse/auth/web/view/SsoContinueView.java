package org.gatehouse.auth.web.view;

/**
 * The question before a legacy SSO sign-in goes back to an application the operator has not listed as trusted:
 * "continue to {@code host}?", as who, and the button that sends the login token there.
 */
public record SsoContinueView(String csrf, String id, String host, String userId) implements PageView {
  @Override
  public String template() {
    return "ssoContinue.jte";
  }
}
