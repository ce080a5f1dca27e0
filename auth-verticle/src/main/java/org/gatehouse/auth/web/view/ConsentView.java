package org.gatehouse.auth.web.view;

import java.util.List;

/**
 * Which application asks for what: its name, site and (optional) logo, terms and policy links in the browser's
 * language, the signed-in user, and one line per thing the tokens will allow.
 */
public record ConsentView(String csrf, String requestId, String clientName, String clientUri, String logoUri,
                          String tosUri, String policyUri, String userId, List<String> access) implements PageView {
  @Override
  public String template() {
    return "consent.jte";
  }

  /** Where "Not you?" leads the next person's sign-in: back to this request. */
  public String returnTo() {
    return "/oauth2/consent?id=" + QueryValues.encode(requestId);
  }
}
