package org.gatehouse.auth.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.gatehouse.auth.web.view.AccountNoticeView;
import org.gatehouse.auth.web.view.AccountProfileView;
import org.gatehouse.auth.web.view.ConsentView;
import org.gatehouse.auth.web.view.DeactivationView;
import org.gatehouse.auth.web.view.DeviceLinkView;
import org.gatehouse.auth.web.view.DeviceListView;
import org.gatehouse.auth.web.view.DeviceSignOutView;
import org.gatehouse.auth.web.view.DeviceView;
import org.gatehouse.auth.web.view.IdentityResetView;
import org.gatehouse.auth.web.view.LastAdministratorView;
import org.gatehouse.auth.web.view.LinkCodeView;
import org.gatehouse.auth.web.view.MessageView;
import org.gatehouse.auth.web.view.PageView;
import org.gatehouse.auth.web.view.SignInView;
import org.gatehouse.auth.web.view.SignUpView;
import org.junit.jupiter.api.Test;

/**
 * Every page's template, rendered from its view with values an attacker could choose (a client's name, a typed
 * username, a device's name): they come out as text, never as markup, in element text and in attributes alike.
 */
class PagesTest {
  /** Closes the attribute or element it lands in, then opens a script. */
  static final String HOSTILE = "\"'><script>alert(1)</script>&";
  static final String SERVER = "test.<b>local</b>";

  final Pages pages = new Pages(SERVER);

  static List<PageView> everyView() {
    String h = HOSTILE;
    return List.of(new MessageView(h, h), new SignInView(h, h, h, h, true), new SignUpView(h, h, h, h, h),
        new ConsentView(h, h, h, "https://example.org/?q=" + h, "https://example.org/" + h, h, h, h, List.of(h, h)),
        new LinkCodeView(h, h, h), new DeviceLinkView(h, h, h, h, h, h, h, h, 5),
        new AccountProfileView(h, h, true), new DeviceListView(List.of(new DeviceListView.Row(h, h, h))),
        new DeviceView(h, h, h, h, h, h), new DeviceSignOutView(h, h), new DeactivationView(h, h, true),
        new IdentityResetView(h, 10), new AccountNoticeView(h, h), new LastAdministratorView(h));
  }

  @Test
  void everyViewRendersInTheLayoutWithNothingInterpolatedAsMarkup() {
    for (PageView view : everyView()) {
      String html = pages.render(view);
      assertThat(html).as(view.template()).startsWith("<!DOCTYPE html>")
          .contains("<link rel=\"stylesheet\" href=\"/assets/gatehouse.css\">")
          .contains("<p class=\"server\">test.&lt;b&gt;local&lt;/b&gt;</p>")
          .doesNotContain("<script", "<b>", "\"'>")
          // CSP allows no inline script or style: the layout and pages have none.
          .doesNotContain("style=", " onclick", "javascript:");
    }
  }

  @Test
  void textAndAttributesAreEscapedForWhereTheyStand() {
    String html = pages.render(new SignInView("token", "/account", HOSTILE, HOSTILE, false));
    // In an attribute, both quotes are escaped; in text, the markup characters.
    assertThat(html).contains("value=\"&#34;&#39;>&lt;script>alert(1)&lt;/script>&amp;\"")
        .contains("<p class=\"error\" role=\"alert\">\"'&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;</p>");
  }

  @Test
  void formsCarryTheirFieldsAndTheCsrfToken() {
    String consent = pages.render(new ConsentView("the-token", "request1", "App", "https://app.example/", null,
        null, null, "@alice:test.local", List.of("Know who you are")));
    assertThat(consent).contains("<form method=\"post\" action=\"/oauth2/consent\">",
        "<input type=\"hidden\" name=\"csrf\" value=\"the-token\">", "<input type=\"hidden\" name=\"id\" value=\"request1\">",
        "<input type=\"hidden\" name=\"next\" value=\"/oauth2/consent?id=request1\">", "<li>Know who you are</li>")
        // No logo, terms or policy: no element for them.
        .doesNotContain("<img", "Terms of service", "Privacy policy");
    String signIn = pages.render(new SignInView("t", "/oauth2/consent?id=x&y", "", null, true));
    assertThat(signIn).contains("<a href=\"/register?next=%2Foauth2%2Fconsent%3Fid%3Dx%26y\">Create an account</a>")
        .doesNotContain("role=\"alert\"");
    assertThat(pages.render(new SignInView("t", "/account", "", null, false))).doesNotContain("Create an account");
  }
}
