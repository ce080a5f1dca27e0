package org.gatehouse.common.module;

import java.net.URI;

/**
 * Facts about this deployment every module may need.
 *
 * @param serverName the Matrix server name: user IDs are {@code @localpart:serverName}
 * @param publicBaseUrl the URL clients reach Gatehouse at, ending in {@code /}; absolute URLs are built on it
 */
public record NodeSettings(String serverName, URI publicBaseUrl) {
  /** {@code path} (without a leading slash) resolved against the public base URL. */
  public String url(String path) {
    return publicBaseUrl.resolve(path.startsWith("/") ? path.substring(1) : path).toString();
  }
}
