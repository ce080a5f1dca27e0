package org.gatehouse.auth.web.view;

import java.util.List;

/** The user's devices, one row each, times already formatted. */
public record DeviceListView(List<Row> devices) implements PageView {
  /** One device; {@code displayName} may be empty, {@code lastSeen} is a time or "never". */
  public record Row(String deviceId, String displayName, String lastSeen) {
    /** The device's own page. */
    public String href() {
      return "/account?action=org.matrix.session_view&device_id=" + QueryValues.encode(deviceId);
    }
  }

  @Override
  public String template() {
    return "account/devices.jte";
  }
}
