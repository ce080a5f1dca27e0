package org.gatehouse.homeserver.synapse;

import io.vertx.core.json.JsonObject;

/**
 * How Synapse answered a request of its client-server API made on a client's behalf; every transport failure is a
 * value, never an exception.
 */
public sealed interface ClientApiAnswer {
  /**
   * Synapse's own answer, to be passed on: a {@code 2xx} or a {@code 4xx} Matrix error (a refused token, a rate
   * limit), with its JSON body and its {@code Cache-Control} (null when it sent none).
   */
  record Answered(int status, JsonObject body, String cacheControl) implements ClientApiAnswer {
  }

  /** No answer to pass on: unreachable, timed out, a {@code 5xx}, or a body that is not a JSON object. */
  record Unavailable(String reason) implements ClientApiAnswer {
  }
}
