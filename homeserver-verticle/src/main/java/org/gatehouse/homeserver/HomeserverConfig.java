package org.gatehouse.homeserver;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.gatehouse.common.config.ConfigNode;
import org.gatehouse.common.module.NodeSettings;

/**
 * The {@code homeserver} section: which homeserver Gatehouse keeps in step and how it reaches it. With no section
 * (or an empty one) Gatehouse runs standalone and the connector is not deployed.
 *
 * @param endpoint the homeserver's base URL as Gatehouse reaches it (its internal address), ending in {@code /}
 * @param secret the secret shared with the homeserver (Synapse's {@code matrix_authentication_service.secret})
 * @param serviceAccount the localpart of the account Gatehouse provisions at the homeserver and acts as on its
 *     admin API (to suspend accounts); reserved, so no person can sign up with it
 * @param requestTimeout how long one call to the homeserver may take
 * @param connectTimeout how long opening a connection to it may take
 * @param eraseOnDeactivation whether deactivating an account also asks the homeserver to erase its data
 *     (Synapse's {@code delete_user} with {@code erase: true}; the reference auth service erases by default)
 * @param reconcileOnStart whether each start queues a reconciliation of every account and device
 * @param outbox how the changes that may follow an answer are retried
 * @param discoveryCache how long the homeserver's {@code /_matrix/client/versions} without a token is kept before
 *     it is asked again (zero: asked every time); answers for a token are never kept
 */
public record HomeserverConfig(
    boolean enabled,
    Kind kind,
    URI endpoint,
    String secret,
    String serviceAccount,
    Duration requestTimeout,
    Duration connectTimeout,
    boolean eraseOnDeactivation,
    boolean reconcileOnStart,
    Outbox outbox,
    Duration discoveryCache) {

  /** The homeserver implementations Gatehouse can keep in step. */
  public enum Kind { SYNAPSE }

  /**
   * @param pollInterval how often the node that holds the outbox lease looks for due work
   * @param initialBackoff the delay before the first retry of a failed call; it doubles up to {@code maxBackoff}
   * @param lease how long a node holds the outbox once it stops renewing (a crashed holder is replaced after this)
   */
  public record Outbox(Duration pollInterval, Duration initialBackoff, Duration maxBackoff, Duration lease) {
  }

  static final int MIN_SECRET = 16;
  static final String DEFAULT_SERVICE_ACCOUNT = "gatehouse-service";

  static HomeserverConfig read(ConfigNode section) {
    if (section.keys().isEmpty()) {
      return new HomeserverConfig(false, Kind.SYNAPSE, null, null, null, Duration.ZERO, Duration.ZERO, true, false,
          null, Duration.ZERO);
    }
    Kind kind = section.choice("kind", Kind.SYNAPSE);
    URI endpoint = endpoint(section);
    String secret = secret(section);
    String serviceAccount = serviceAccount(section);
    Duration request = section.duration("request_timeout", Duration.ofSeconds(5), Duration.ofMillis(100),
        Duration.ofMinutes(1));
    Duration connect = section.duration("connect_timeout", Duration.ofSeconds(2), Duration.ofMillis(100),
        Duration.ofMinutes(1));
    boolean erase = section.bool("erase_on_deactivation", true);
    boolean reconcile = section.bool("reconcile_on_start", true);
    ConfigNode outbox = section.section("outbox");
    Duration initial = outbox.duration("initial_backoff", Duration.ofSeconds(1), Duration.ofMillis(10),
        Duration.ofHours(1));
    Duration max = outbox.duration("max_backoff", Duration.ofMinutes(1), Duration.ofMillis(10), Duration.ofDays(1));
    if (max.compareTo(initial) < 0) {
      throw outbox.problem("max_backoff", "must not be shorter than outbox.initial_backoff");
    }
    Outbox retry = new Outbox(
        outbox.duration("poll_interval", Duration.ofSeconds(1), Duration.ofMillis(50), Duration.ofMinutes(5)),
        initial, max,
        outbox.duration("lease", Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofHours(1)));
    Duration discoveryCache = section.duration("discovery_cache", Duration.ofSeconds(30), Duration.ZERO,
        Duration.ofHours(1));
    return new HomeserverConfig(true, kind, endpoint, secret, serviceAccount, request, connect, erase, reconcile, retry,
        discoveryCache);
  }

  /**
   * How long another module waits for the connector: an upsert may take three calls (the device, the account the
   * homeserver lacked, the device again), and the bus must not give up before the connector does.
   */
  Duration callTimeout() {
    return requestTimeout.multipliedBy(3).plus(connectTimeout).plusSeconds(1);
  }

  NodeSettings.HomeserverLink link() {
    return new NodeSettings.HomeserverLink(callTimeout(), secret, serviceAccount);
  }

  private static URI endpoint(ConfigNode section) {
    String text = section.requiredString("endpoint");
    try {
      URI uri = new URI(text.endsWith("/") ? text : text + "/");
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
          || uri.getQuery() != null || uri.getFragment() != null) {
        throw new URISyntaxException(text, "not an absolute http(s) URL");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw section.problem("endpoint", "expected the homeserver's base URL as Gatehouse reaches it, such as "
          + "http://synapse:8008/, got \"" + text + "\"");
    }
  }

  /** What Synapse takes as a new user's localpart, without the leading underscore it reserves. */
  private static String serviceAccount(ConfigNode section) {
    String localpart = section.string("service_account", DEFAULT_SERVICE_ACCOUNT);
    if (!localpart.matches("[a-z0-9.=/+-][a-z0-9._=/+-]{0,63}")) {
      throw section.problem("service_account", "expected a user name of lower-case letters, digits and . _ = - / +, "
          + "not starting with _ (the homeserver refuses those), got \"" + localpart + "\"");
    }
    return localpart;
  }

  private static String secret(ConfigNode section) {
    Optional<String> inline = section.optionalString("secret");
    Optional<String> file = section.optionalString("secret_file");
    if (inline.isPresent() == file.isPresent()) {
      throw section.problem("secret", "set exactly one of homeserver.secret and homeserver.secret_file (the secret "
          + "shared with the homeserver, Synapse's matrix_authentication_service.secret)");
    }
    String secret;
    if (file.isPresent()) {
      try {
        // Read once, trimmed, as Synapse reads its secret_path.
        secret = Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        throw section.problem("secret_file", "cannot read " + file.get() + ": " + e.getMessage());
      }
    } else {
      secret = inline.get();
    }
    if (secret.length() < MIN_SECRET) {
      throw section.problem(file.isPresent() ? "secret_file" : "secret",
          "the secret must be at least " + MIN_SECRET + " characters long");
    }
    return secret;
  }

  @Override
  public String toString() {
    return "HomeserverConfig[enabled=" + enabled + ", kind=" + kind + ", endpoint=" + endpoint + ", secret=(hidden)]";
  }
}
