package org.gatehouse.auth.web.view;

/** The account page's start: who is signed in, and the links to devices, identity reset and deactivation. */
public record AccountProfileView(String csrf, String userId, boolean admin) implements PageView {
  @Override
  public String template() {
    return "account/profile.jte";
  }
}
