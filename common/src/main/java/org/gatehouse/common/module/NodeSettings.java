package org.gatehouse.common.module;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.gatehouse.common.homeserver.ServiceAdminTokens;

/**
 * Facts about this deployment every module may need.
 *
 * @param serverName the Matrix server name: user IDs are {@code @localpart:serverName}
 * @param publicBaseUrl the URL clients reach Gatehouse at, ending in {@code /}; absolute URLs are built on it
 * @param homeserver present when the connector module keeps a homeserver in step; empty when Gatehouse runs
 *     standalone
 */
public record NodeSettings(String serverName, URI publicBaseUrl, Optional<HomeserverLink> homeserver) {
  /** A standalone deployment. */
  public NodeSettings(String serverName, URI publicBaseUrl) {
    this(serverName, publicBaseUrl, Optional.empty());
  }

  /**
   * What the other modules need to know of the homeserver the connector keeps in step.
   *
   * @param callTimeout how long a module waits for the connector's answer (longer than the connector's own calls
   *     to the homeserver, so the connector's clearer error arrives first)
   * @param sharedSecret the secret the homeserver and Gatehouse share: the homeserver presents it to introspect
   *     tokens, Gatehouse presents it to the homeserver's internal API
   * @param serviceAccount the localpart of the account Gatehouse acts as on the homeserver's admin API; no person's
   *     account may take it
   */
  public record HomeserverLink(Duration callTimeout, String sharedSecret, String serviceAccount) {
    /** The tokens of the service account, derived from the shared secret. */
    public ServiceAdminTokens serviceTokens() {
      return new ServiceAdminTokens(sharedSecret, serviceAccount);
    }

    @Override
    public String toString() {
      return "HomeserverLink[callTimeout=" + callTimeout + ", sharedSecret=(hidden), serviceAccount=" + serviceAccount
          + "]";
    }
  }

  /** The same settings with a homeserver kept in step. */
  public NodeSettings withHomeserver(HomeserverLink link) {
    return new NodeSettings(serverName, publicBaseUrl, Optional.of(link));
  }

  /** {@code path} (without a leading slash) resolved against the public base URL. */
  public String url(String path) {
    return publicBaseUrl.resolve(path.startsWith("/") ? path.substring(1) : path).toString();
  }
}
