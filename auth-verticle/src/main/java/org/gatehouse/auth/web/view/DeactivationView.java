package org.gatehouse.auth.web.view;

/**
 * What deactivation does, and the form that asks for the user ID typed out; {@code mistyped} when it is shown again
 * because the typed ID was not the user's.
 */
public record DeactivationView(String csrf, String userId, boolean mistyped) implements PageView {
  @Override
  public String template() {
    return "account/deactivate.jte";
  }
}
