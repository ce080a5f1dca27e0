package org.gatehouse.auth.domain;

import java.util.List;

/** The OAuth grant types Gatehouse implements. */
public final class GrantTypes {
  public static final String AUTHORIZATION_CODE = "authorization_code";
  public static final String REFRESH_TOKEN = "refresh_token";
  public static final String DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code";
  public static final List<String> SUPPORTED = List.of(AUTHORIZATION_CODE, REFRESH_TOKEN, DEVICE_CODE);

  private GrantTypes() {
  }
}
