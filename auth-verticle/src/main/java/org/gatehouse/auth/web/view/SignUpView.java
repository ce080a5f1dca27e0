package org.gatehouse.auth.web.view;

/** The self-registration form, with what the person typed kept (except the passwords) when it is shown again. */
public record SignUpView(String csrf, String next, String username, String displayName, String error)
    implements PageView {
  @Override
  public String template() {
    return "signUp.jte";
  }

  /** The sign-in page, leading to the same place afterwards. */
  public String signInHref() {
    return "/login?next=" + QueryValues.encode(next);
  }
}
