package org.gatehouse.common.bus;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fact every node must have applied before the action that caused it is answered: "session revoked",
 * "account locked". A plain publish cannot say when every node has heard it, so each node consumes the fact
 * on its own address ({@code <address>.<nodeId>}) and acknowledges after applying it; {@link #publish}
 * completes when every current member has acknowledged.
 *
 * <p>A member that has left (or has not registered yet, and will load fresh state when it does) counts as
 * done. A member that stays silent past the timeout fails the publish, so the caller can report the fact as
 * not yet in force instead of claiming something untrue.
 */
public final class ClusterBroadcast {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterBroadcast.class);

  private final Vertx vertx;
  private final ClusterMembers members;
  private final Duration timeout;

  public ClusterBroadcast(Vertx vertx, ClusterMembers members, Duration timeout) {
    this.vertx = vertx;
    this.members = members;
    this.timeout = timeout;
  }

  /** The address of {@code fact} on one node. */
  public static String nodeAddress(String fact, String nodeId) {
    return fact + "." + nodeId;
  }

  /** Applies {@code fact} messages on this node; the acknowledgement is sent once {@code apply} completes. */
  public MessageConsumer<JsonObject> consume(String fact, Function<JsonObject, Future<?>> apply) {
    return vertx.eventBus().<JsonObject>consumer(nodeAddress(fact, members.localNodeId()), message -> {
      Future<?> applied;
      try {
        applied = apply.apply(message.body());
      } catch (RuntimeException e) {
        applied = Future.failedFuture(e);
      }
      applied.onComplete(done -> {
        if (done.succeeded()) {
          message.reply(null);
        } else {
          BusErrors.reply(message, done.cause());
        }
      });
    });
  }

  /**
   * Sends {@code body} to every member and completes when all have applied it; then publishes it on the plain
   * {@code fact} address as well, for followers (connectors) that only need to hear about it.
   */
  public Future<Void> publish(String fact, JsonObject body) {
    return deliver(fact, body, false);
  }

  /**
   * As {@link #publish}, but the local node is skipped: for a caller that has applied the fact on this node itself
   * and would otherwise pay an event-bus round trip to its own consumer on every call.
   */
  public Future<Void> publishToOthers(String fact, JsonObject body) {
    return deliver(fact, body, true);
  }

  private Future<Void> deliver(String fact, JsonObject body, boolean skipLocal) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
    List<Future<?>> acks = new ArrayList<>();
    String local = members.localNodeId();
    for (String node : members.nodeIds()) {
      if (skipLocal && node.equals(local)) {
        continue;
      }
      Promise<Void> ack = Promise.promise();
      vertx.eventBus().request(nodeAddress(fact, node), body, options).onComplete(reply -> {
        if (reply.succeeded() || isGone(reply.cause())) {
          ack.complete();
        } else {
          LOG.warn("node {} did not apply {}: {}", node, fact, reply.cause().getMessage());
          ack.fail(reply.cause());
        }
      });
      acks.add(ack.future());
    }
    return Future.all(acks).<Void>mapEmpty()
        .onSuccess(done -> vertx.eventBus().publish(fact, body))
        .recover(failure -> Future.failedFuture(BusErrors.toMatrixError(failure)));
  }

  private static boolean isGone(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS;
  }
}
