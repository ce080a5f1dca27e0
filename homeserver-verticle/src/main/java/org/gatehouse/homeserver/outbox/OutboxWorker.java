package org.gatehouse.homeserver.outbox;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.gatehouse.homeserver.HomeserverConfig;
import org.gatehouse.homeserver.synapse.SynapseAnswer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works the outbox on the node that holds its lease: sends each due call, deletes it when the homeserver takes
 * it, retries it with a doubling delay while the homeserver is away, and keeps it as failed when the homeserver
 * refuses it for good. Runs on the connector verticle's event loop, one pass at a time.
 */
public final class OutboxWorker {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxWorker.class);
  private static final int BATCH = 50;

  private final Vertx vertx;
  private final Outbox outbox;
  private final Function<OutboxEntry, Future<SynapseAnswer>> send;
  private final OutboxMetrics metrics;
  private final HomeserverConfig.Outbox settings;
  private final String nodeId;
  private boolean running;
  private boolean again;
  private long timer = -1;
  private long depthTimer = -1;

  public OutboxWorker(Vertx vertx, Outbox outbox, Function<OutboxEntry, Future<SynapseAnswer>> send,
                      OutboxMetrics metrics, HomeserverConfig.Outbox settings, String nodeId) {
    this.vertx = vertx;
    this.outbox = outbox;
    this.send = send;
    this.metrics = metrics;
    this.settings = settings;
    this.nodeId = nodeId;
  }

  public void start() {
    outbox.onAdded(this::wake);
    timer = vertx.setPeriodic(settings.pollInterval().toMillis(), t -> wake());
    depthTimer = vertx.setPeriodic(5_000, t -> refreshDepth());
    refreshDepth();
    wake();
  }

  /** Gives the lease up so another node takes over at once. */
  public Future<Void> stop() {
    vertx.cancelTimer(timer);
    vertx.cancelTimer(depthTimer);
    return outbox.releaseLease(nodeId).otherwiseEmpty();
  }

  /** Looks for due work now (a call was just queued on this node), or right after the pass under way. */
  public void wake() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    outbox.holdLease(nodeId, settings.lease())
        .compose(held -> held ? drain() : Future.succeededFuture())
        .onFailure(failure -> LOG.warn("homeserver outbox pass failed: {}", failure.getMessage()))
        .onComplete(done -> {
          running = false;
          if (again) {
            wake();
          }
        });
  }

  private Future<Void> drain() {
    return outbox.due(BATCH).compose(entries -> sendAll(entries).compose(v -> {
      if (entries.size() == BATCH) {
        // More may be due: keep the lease fresh and go on.
        return outbox.holdLease(nodeId, settings.lease()).compose(held -> held ? drain() : Future.succeededFuture());
      }
      return Future.succeededFuture();
    }));
  }

  private Future<Void> sendAll(List<OutboxEntry> entries) {
    Future<Void> chain = Future.succeededFuture();
    for (OutboxEntry entry : entries) {
      chain = chain.compose(v -> sendOne(entry));
    }
    return chain.onSuccess(v -> {
      if (!entries.isEmpty()) {
        refreshDepth();
      }
    });
  }

  private Future<Void> sendOne(OutboxEntry entry) {
    return send.apply(entry).compose(answer -> {
      if (answer instanceof SynapseAnswer.Done) {
        metrics.sent(entry.operation());
        return outbox.done(entry.id());
      }
      if (answer instanceof SynapseAnswer.Refused refused) {
        LOG.error("the homeserver refused the queued {} for {} for good: {} {} {}; kept in homeserver.outbox as failed",
            entry.operation(), entry.localpart(), refused.status(), refused.errcode(), refused.error());
        metrics.failure(entry.operation(), "refused");
        return outbox.failed(entry.id(), refused.status() + " " + refused.errcode() + " " + refused.error());
      }
      SynapseAnswer.Unavailable unavailable = (SynapseAnswer.Unavailable) answer;
      Duration delay = backoff(entry.attempts());
      if (entry.attempts() % 10 == 0) {
        LOG.warn("queued {} for {} not taken by the homeserver ({}); retrying in {} ms", entry.operation(),
            entry.localpart(), unavailable.reason(), delay.toMillis());
      }
      metrics.failure(entry.operation(), "retry");
      return outbox.retryLater(entry.id(), delay, unavailable.reason());
    });
  }

  /** The delay after the {@code attempts}-th failure: doubling from the initial backoff, capped, with jitter. */
  Duration backoff(int attempts) {
    long initial = settings.initialBackoff().toMillis();
    long max = settings.maxBackoff().toMillis();
    long delay = attempts >= 30 ? max : Math.min(max, initial << attempts);
    // Up to a fifth less, so many nodes' retries after an outage do not arrive in lockstep.
    return Duration.ofMillis(delay - ThreadLocalRandom.current().nextLong(delay / 5 + 1));
  }

  private void refreshDepth() {
    outbox.depth().onSuccess(metrics::update);
  }
}
