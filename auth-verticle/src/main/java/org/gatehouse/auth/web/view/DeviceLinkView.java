package org.gatehouse.auth.web.view;

/**
 * The question before a new device is signed in: which application, which device ID, asked from which address and
 * software, with which code, and how long the request still waits. Unknown values are already worded
 * ("unknown", "(none)").
 */
public record DeviceLinkView(String csrf, String userId, String clientName, String clientUri, String deviceId,
                             String requestedFrom, String requestedByAgent, String userCode, long minutesLeft)
    implements PageView {
  @Override
  public String template() {
    return "link/confirm.jte";
  }
}
