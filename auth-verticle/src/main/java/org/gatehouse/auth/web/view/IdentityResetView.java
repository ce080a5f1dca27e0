package org.gatehouse.auth.web.view;

/** What approving a cross-signing reset (MSC4312) means, and for how many minutes the approval lasts. */
public record IdentityResetView(String csrf, long windowMinutes) implements PageView {
  @Override
  public String template() {
    return "account/identityReset.jte";
  }
}
