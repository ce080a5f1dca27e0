package org.gatehouse.auth.web;

import static org.gatehouse.auth.web.Html.esc;

import java.util.List;

/**
 * The HTML of every page: plain forms that work without JavaScript, one shared layout and stylesheet.
 * Everything interpolated is escaped here.
 */
public final class Pages {
  private final String serverName;

  public Pages(String serverName) {
    this.serverName = serverName;
  }

  /** A labelled item of the consent page. */
  public record Line(String text) {
  }

  String layout(String title, String body) {
    return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>%s · %s</title>
        <link rel="stylesheet" href="/assets/gatehouse.css">
        <link rel="icon" href="data:,">
        </head>
        <body>
        <main>
        <p class="server">%s</p>
        %s
        </main>
        </body>
        </html>
        """.formatted(esc(title), esc(serverName), esc(serverName), body);
  }

  public String signIn(String csrf, String next, String username, String error, boolean registrationOpen) {
    return layout("Sign in", """
        <h1>Sign in</h1>
        %s
        <form method="post" action="/login">
        <input type="hidden" name="csrf" value="%s">
        <input type="hidden" name="next" value="%s">
        <label for="username">Username</label>
        <input id="username" name="username" autocomplete="username" required value="%s">
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required>
        <button type="submit" name="action" value="sign_in">Sign in</button>
        </form>
        %s
        """.formatted(errorBox(error), esc(csrf), esc(next), esc(username),
        registrationOpen ? "<p><a href=\"/register?next=" + esc(urlEncode(next)) + "\">Create an account</a></p>" : ""));
  }

  public String signUp(String csrf, String next, String username, String displayName, String error) {
    return layout("Create an account", """
        <h1>Create an account</h1>
        %s
        <form method="post" action="/register">
        <input type="hidden" name="csrf" value="%s">
        <input type="hidden" name="next" value="%s">
        <label for="username">Username</label>
        <input id="username" name="username" autocomplete="username" required value="%s">
        <p class="hint">Lower-case letters, digits and . _ = - / +</p>
        <label for="display_name">Display name (optional)</label>
        <input id="display_name" name="display_name" autocomplete="name" maxlength="256" value="%s">
        <p class="hint">The name people see; you can change it later in your app.</p>
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="new-password" required minlength="8">
        <label for="password_confirm">Repeat the password</label>
        <input id="password_confirm" name="password_confirm" type="password" autocomplete="new-password" required>
        <button type="submit" name="action" value="sign_up">Create account</button>
        </form>
        <p><a href="/login?next=%s">I already have an account</a></p>
        """.formatted(errorBox(error), esc(csrf), esc(next), esc(username), esc(displayName), esc(urlEncode(next))));
  }

  public String consent(String csrf, String requestId, String clientName, String clientUri, String logoUri, String tosUri,
                        String policyUri, String userId, List<Line> access) {
    StringBuilder items = new StringBuilder();
    access.forEach(line -> items.append("<li>").append(esc(line.text())).append("</li>\n"));
    String logo = logoUri == null ? "" : "<img class=\"logo\" src=\"" + esc(logoUri) + "\" alt=\"\" width=\"64\" height=\"64\">";
    StringBuilder links = new StringBuilder();
    if (tosUri != null) {
      links.append("<a href=\"").append(esc(tosUri)).append("\">Terms of service</a> ");
    }
    if (policyUri != null) {
      links.append("<a href=\"").append(esc(policyUri)).append("\">Privacy policy</a>");
    }
    return layout("Allow access", """
        %s
        <h1>Allow <span class="client">%s</span> to access your account?</h1>
        <p class="client-uri"><a href="%s">%s</a></p>
        <p>Signed in as <strong>%s</strong>.</p>
        <p>If you allow it, this application can:</p>
        <ul>
        %s</ul>
        <p class="links">%s</p>
        <form method="post" action="/oauth2/consent">
        <input type="hidden" name="csrf" value="%s">
        <input type="hidden" name="id" value="%s">
        <button type="submit" name="action" value="allow">Allow</button>
        <button type="submit" name="action" value="deny" class="secondary">Deny</button>
        </form>
        %s""".formatted(logo, esc(clientName), esc(clientUri), esc(clientUri), esc(userId), items, links, esc(csrf),
        esc(requestId), notYou(csrf, "/oauth2/consent?id=" + urlEncode(requestId))));
  }

  /**
   * "Not you? Sign out": signs the browser out and leads the next person's sign-in back to {@code returnTo}, so the
   * request in progress (kept in the browser session) is not lost.
   */
  static String notYou(String csrf, String returnTo) {
    return """
        <form method="post" action="/logout" class="inline">
        <input type="hidden" name="csrf" value="%s">
        <input type="hidden" name="next" value="%s">
        <button type="submit" class="link">Not you? Sign out</button>
        </form>
        """.formatted(esc(csrf), esc(returnTo));
  }

  /** A page with a title, an already escaped HTML body and the shared layout. */
  public String page(String title, String bodyHtml) {
    return layout(title, "<h1>" + esc(title) + "</h1>\n" + bodyHtml);
  }

  /** A form that posts {@code fields} (name, value) with the CSRF token and one button. */
  public static String postForm(String action, String csrf, java.util.Map<String, String> fields, String button,
                                String buttonClass) {
    StringBuilder b = new StringBuilder("<form method=\"post\" action=\"").append(esc(action)).append("\">\n")
        .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(esc(csrf)).append("\">\n");
    fields.forEach((k, v) -> b.append("<input type=\"hidden\" name=\"").append(esc(k)).append("\" value=\"")
        .append(esc(v)).append("\">\n"));
    b.append("<button type=\"submit\"").append(buttonClass == null ? "" : " class=\"" + esc(buttonClass) + "\"")
        .append(">").append(esc(button)).append("</button>\n</form>\n");
    return b.toString();
  }

  public String message(String title, String text) {
    return layout(title, "<h1>" + esc(title) + "</h1>\n<p>" + esc(text) + "</p>\n");
  }

  private static String errorBox(String error) {
    return error == null ? "" : "<p class=\"error\" role=\"alert\">" + esc(error) + "</p>";
  }

  static String urlEncode(String s) {
    return java.net.URLEncoder.encode(s == null ? "" : s, java.nio.charset.StandardCharsets.UTF_8);
  }
}
