package org.gatehouse.auth.web.view;

/**
 * One device: its ID and name, when and with what it signed in ({@code createdBy}: the client's name, else its
 * ID), and when and from where it was last seen ({@code lastSeenAt} null: never).
 */
public record DeviceView(String deviceId, String displayName, String signedInAt, String createdBy, String lastSeenAt,
                         String lastSeenIp) implements PageView {
  @Override
  public String template() {
    return "account/device.jte";
  }

  /** The confirmation page for signing this device out. */
  public String signOutHref() {
    return "/account?action=org.matrix.session_end&device_id=" + QueryValues.encode(deviceId);
  }
}
