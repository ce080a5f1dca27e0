package org.gatehouse.auth.oauth;

import java.util.List;

/** The paths the auth module serves. */
public final class AuthPaths {
  public static final List<String> METADATA = List.of(
      "/_matrix/client/v1/auth_metadata",
      "/_matrix/client/unstable/org.matrix.msc2965/auth_metadata",
      "/.well-known/oauth-authorization-server",
      "/.well-known/openid-configuration");
  public static final String AUTHORIZE = "/oauth2/authorize";
  public static final String TOKEN = "/oauth2/token";
  public static final String REVOKE = "/oauth2/revoke";
  public static final String INTROSPECT = "/oauth2/introspect";
  public static final String REGISTER = "/oauth2/registration";
  public static final String JWKS = "/oauth2/keys.json";
  public static final String USERINFO = "/oauth2/userinfo";
  public static final String CONSENT = "/oauth2/consent";
  public static final String LOGIN = "/login";
  public static final String LOGOUT = "/logout";
  public static final String SIGN_UP = "/register";
  public static final String ASSETS = "/assets/";

  private AuthPaths() {
  }
}
