package org.gatehouse.auth.web.view;

/** A short answer inside the account pages, with the way back to the account. */
public record AccountNoticeView(String title, String text) implements PageView {
  /** A device that is not (or no longer) the user's, on the page titled {@code title}. */
  public static AccountNoticeView noSuchDevice(String title) {
    return new AccountNoticeView(title, "This device does not exist (any more).");
  }

  @Override
  public String template() {
    return "account/notice.jte";
  }
}
