package org.gatehouse.common.bus;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.gatehouse.common.http.MatrixError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How failures cross the event bus. A service replies to a request it refuses with the Matrix error it would
 * have rendered (HTTP status as the failure code, the error body as the message); the caller turns the reply
 * failure back into that {@link MatrixError}. A request nobody answered (no consumer, timeout) becomes a 503,
 * so a missing module degrades into "try again" rather than a 500.
 */
public final class BusErrors {
  private static final Logger LOG = LoggerFactory.getLogger(BusErrors.class);

  private BusErrors() {
  }

  /** Fails {@code message} with {@code failure}: Matrix errors travel as they are, anything else as a 500. */
  public static void reply(Message<?> message, Throwable failure) {
    MatrixError error;
    if (failure instanceof MatrixError matrixError) {
      error = matrixError;
    } else {
      LOG.error("unexpected failure answering {}", message.address(), failure);
      error = MatrixError.internal();
    }
    message.fail(error.status(), error.toJson().encode());
  }

  /** The Matrix error a failed request stands for. */
  public static MatrixError toMatrixError(Throwable failure) {
    if (failure instanceof MatrixError error) {
      return error;
    }
    if (failure instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.RECIPIENT_FAILURE && reply.getMessage() != null) {
        try {
          return MatrixError.fromJson(reply.failureCode(), new JsonObject(reply.getMessage()));
        } catch (DecodeException | ClassCastException e) {
          LOG.warn("reply failure that is not a Matrix error: {} {}", reply.failureCode(), reply.getMessage());
        }
      }
      if (reply.failureType() == ReplyFailure.TIMEOUT || reply.failureType() == ReplyFailure.NO_HANDLERS) {
        return MatrixError.unavailable("A Gatehouse service did not answer in time; try again");
      }
    }
    LOG.error("unexpected event-bus failure", failure);
    return MatrixError.internal();
  }
}
