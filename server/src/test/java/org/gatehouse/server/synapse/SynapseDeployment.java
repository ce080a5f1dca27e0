package org.gatehouse.server.synapse;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.gatehouse.server.testing.TestNodes;

/**
 * A whole deployment as an operator runs it: one Gatehouse node, Synapse delegating to it, nginx in front of both
 * ({@link SynapseStack}). Started in the only order that works: ports first, then Gatehouse (its
 * {@code public_base_url} is nginx's URL, its listener another port, its {@code homeserver} section pointing at
 * Synapse's own listener with a fresh random secret, nginx trusted for {@code X-Forwarded-For}; {@code /versions}
 * answered by Gatehouse, merged with Synapse's, as by default), then Synapse and nginx. Gatehouse starts before
 * Synapse: its start-up reconciliation waits in the outbox until Synapse answers.
 */
public final class SynapseDeployment implements AutoCloseable {
  /** Gatehouse's default server name, which Synapse's must equal. */
  public static final String SERVER_NAME = "localhost";

  private final SynapseStack stack;
  private final TestNodes gatehouse;
  private final String sharedSecret;
  private final int gatehousePort;

  private SynapseDeployment(SynapseStack stack, TestNodes gatehouse, String sharedSecret, int gatehousePort) {
    this.stack = stack;
    this.gatehouse = gatehouse;
    this.sharedSecret = sharedSecret;
    this.gatehousePort = gatehousePort;
  }

  /** Starts the deployment with Gatehouse's test configuration as described above. */
  public static SynapseDeployment start() {
    return start(stack -> Map.of());
  }

  /**
   * As {@link #start()}, with {@code extra} merged into Gatehouse's configuration; it is given the stack before
   * anything starts, so it can point Gatehouse at {@link SynapseStack#synapseUrl()} (Synapse is not running yet
   * when Gatehouse starts).
   */
  public static SynapseDeployment start(Function<SynapseStack, Map<String, Object>> extra) {
    SynapseStack stack = new SynapseStack();
    TestNodes gatehouse = null;
    try {
      String secret = "synapse-stack-" + randomHex(16);
      int port = stack.suggestedGatehousePort();
      // The homeserver section as docs/synapse.md has it (the introspection secret defaults to its secret), with
      // short retry delays so an outage test sees the outbox drain within seconds.
      Map<String, Object> config = TestNodes.merge(Map.of(
          "server_name", SERVER_NAME,
          "public_base_url", stack.proxyUrl() + "/",
          "http", Map.of("port", port, "trusted_proxies", List.of("127.0.0.1")),
          "homeserver", Map.of("kind", "synapse", "endpoint", stack.synapseUrl() + "/", "secret", secret,
              "outbox", Map.of("poll_interval", "200ms", "initial_backoff", "200ms", "max_backoff", "1s")),
          "auth", Map.of("introspection", Map.of("shared_secret", ""))), extra.apply(stack));
      gatehouse = TestNodes.start(1, config);
      stack.start(port, secret, String.valueOf(config.get("server_name")));
      return new SynapseDeployment(stack, gatehouse, secret, port);
    } catch (RuntimeException | Error e) {
      stack.close();
      if (gatehouse != null) {
        gatehouse.close();
      }
      throw e;
    }
  }

  public SynapseStack stack() {
    return stack;
  }

  public TestNodes gatehouse() {
    return gatehouse;
  }

  /** The URL clients use, without the trailing slash (nginx). */
  public String proxyUrl() {
    return stack.proxyUrl();
  }

  /** Gatehouse's own listener, without the trailing slash (what Synapse's {@code endpoint} points at). */
  public String gatehouseUrl() {
    return "http://127.0.0.1:" + gatehousePort;
  }

  /** Synapse's own listener, without the trailing slash. */
  public String synapseUrl() {
    return stack.synapseUrl();
  }

  /** Gatehouse's issuer: its {@code public_base_url}, the proxy's URL with the slash. */
  public String issuer() {
    return stack.proxyUrl() + "/";
  }

  /** The shared secret of introspection and of {@code /_synapse/mas/}. */
  public String sharedSecret() {
    return sharedSecret;
  }

  /** Creates a Gatehouse account, as {@code gatehouse user add} does. */
  public void createUser(String localpart, String password) {
    gatehouse.createUser(localpart, password);
  }

  @Override
  public void close() {
    stack.close();
    gatehouse.close();
  }

  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
