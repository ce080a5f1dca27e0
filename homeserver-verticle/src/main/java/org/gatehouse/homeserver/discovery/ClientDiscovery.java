package org.gatehouse.homeserver.discovery;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.gatehouse.common.homeserver.HomeserverCalls;
import org.gatehouse.common.homeserver.HomeserverCalls.ClientAnswer;
import org.gatehouse.common.homeserver.HomeserverCalls.ClientRequest;
import org.gatehouse.common.http.MatrixError;
import org.gatehouse.homeserver.synapse.ClientApiAnswer;
import org.gatehouse.homeserver.synapse.SynapseClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The homeserver's discovery answers for Gatehouse's own {@code /versions} and {@code /capabilities}
 * ({@link HomeserverCalls.ClientVersions}, {@link HomeserverCalls.ClientCapabilities}): asked on the client's
 * behalf and passed back as they are (the callers merge Gatehouse's features in), a {@code 4xx} included. The
 * answer to {@code /versions} without a token is the same for every client and is kept for {@code cacheFor}
 * (concurrent misses share one request); everything asked with a token is per user and asked every time. No answer
 * (unreachable, timed out, {@code 5xx}) is a {@code 503} with a retry delay.
 *
 * <p>Not thread-safe: used from the connector verticle's event loop only.
 */
public final class ClientDiscovery {
  private static final Logger LOG = LoggerFactory.getLogger(ClientDiscovery.class);
  static final Duration RETRY_AFTER = Duration.ofSeconds(5);
  static final String VERSIONS = "_matrix/client/versions";
  static final String CAPABILITIES = "_matrix/client/v3/capabilities";

  private final SynapseClient synapse;
  private final Duration cacheFor;
  private final Clock clock;
  private final String forwardedProto;
  private ClientAnswer cached;
  private Instant cachedUntil = Instant.MIN;
  private Future<ClientAnswer> asking;

  /**
   * @param forwardedProto the scheme clients reach Gatehouse with (of its {@code public_base_url}), passed to the
   *     homeserver as {@code X-Forwarded-Proto}
   */
  public ClientDiscovery(SynapseClient synapse, Duration cacheFor, Clock clock, String forwardedProto) {
    this.synapse = synapse;
    this.cacheFor = cacheFor;
    this.clock = clock;
    this.forwardedProto = forwardedProto;
  }

  public Future<JsonObject> versions(HomeserverCalls.ClientVersions call) {
    ClientRequest client = call.client();
    Future<ClientAnswer> answer = client.authenticated() ? ask(VERSIONS, "/versions", client) : anonymousVersions(client);
    return answer.map(ClientAnswer::toJson);
  }

  public Future<JsonObject> capabilities(HomeserverCalls.ClientCapabilities call) {
    return ask(CAPABILITIES, "/capabilities", call.client()).map(ClientAnswer::toJson);
  }

  private Future<ClientAnswer> anonymousVersions(ClientRequest client) {
    if (cached != null && clock.instant().isBefore(cachedUntil)) {
      return Future.succeededFuture(cached);
    }
    if (asking != null) {
      return asking;
    }
    Future<ClientAnswer> asked = ask(VERSIONS, "/versions", client);
    asking = asked;
    return asked.andThen(done -> {
      asking = null;
      // Only a success is kept: a refusal or an outage is asked about again by the next client.
      if (done.succeeded() && done.result().ok() && !cacheFor.isZero()) {
        cached = done.result();
        cachedUntil = clock.instant().plus(cacheFor);
      }
    });
  }

  private Future<ClientAnswer> ask(String path, String what, ClientRequest client) {
    return synapse.clientGet(path, client, forwardedProto).compose(answer -> {
      if (answer instanceof ClientApiAnswer.Answered answered) {
        return Future.succeededFuture(new ClientAnswer(answered.status(), answered.body(), answered.cacheControl()));
      }
      LOG.warn("request_id={} the homeserver did not answer {}: {}", client.requestId(), what,
          ((ClientApiAnswer.Unavailable) answer).reason());
      return Future.failedFuture(MatrixError.unavailable("The homeserver is unavailable, so Gatehouse cannot answer "
          + what + " now; try again", RETRY_AFTER));
    });
  }
}
