package org.gatehouse.auth.web.view;

/** A short answer inside the account pages, with the way back to the account. */
public record AccountNoticeView(String title, String text) implements PageView {
  @Override
  public String template() {
    return "account/notice.jte";
  }
}
