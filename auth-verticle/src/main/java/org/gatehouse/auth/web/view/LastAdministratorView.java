package org.gatehouse.auth.web.view;

/** Why the last administrator's account cannot be deactivated. */
public record LastAdministratorView(String userId) implements PageView {
  @Override
  public String template() {
    return "account/lastAdministrator.jte";
  }
}
