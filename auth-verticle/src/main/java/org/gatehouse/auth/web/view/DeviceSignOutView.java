package org.gatehouse.auth.web.view;

/** What signing a device out does, and the button that does it. */
public record DeviceSignOutView(String csrf, String deviceId) implements PageView {
  @Override
  public String template() {
    return "account/signOutDevice.jte";
  }
}
