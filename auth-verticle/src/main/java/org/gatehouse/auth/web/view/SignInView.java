package org.gatehouse.auth.web.view;

/**
 * The password form. {@code next} is where a successful sign-in leads (already checked to be local);
 * {@code error}, if any, is shown above the form.
 */
public record SignInView(String csrf, String next, String username, String error, boolean registrationOpen)
    implements PageView {
  @Override
  public String template() {
    return "signIn.jte";
  }

  /** The sign-up page, leading to the same place afterwards. */
  public String signUpHref() {
    return "/register?next=" + QueryValues.encode(next);
  }
}
