package org.gatehouse.rendezvous.service;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.gatehouse.rendezvous.SessionChanged;
import org.gatehouse.rendezvous.domain.RendezvousSession;

/**
 * One request waiting for a session's token to move on from the one its client has seen.
 *
 * <p>It parks itself before its first read, so a write landing between the two is not missed: either the read
 * sees it, or the change notice arrives after parking. A notice only triggers a fresh read from the store, which
 * is the authority; at the deadline (or the session's expiry, if sooner) it answers with a final read, changed or
 * not. All state is touched on the request's own event loop.
 */
public final class LongPoll implements ChangeWaiters.Waiter {
  private final Vertx vertx;
  private final Context context;
  private final ChangeWaiters waiters;
  private final Supplier<Future<RendezvousSession>> read;
  private final Clock clock;
  private final String id;
  private final String seenToken;
  private final long deadlineNanos;
  private final Promise<RendezvousSession> result = Promise.promise();
  private boolean parked;
  private boolean done;
  private long timer = -1;

  LongPoll(Vertx vertx, Context context, ChangeWaiters waiters, Supplier<Future<RendezvousSession>> read, Clock clock,
           String id, String seenToken, Duration maxWait) {
    this.vertx = vertx;
    this.context = context;
    this.waiters = waiters;
    this.read = read;
    this.clock = clock;
    this.id = id;
    this.seenToken = seenToken;
    this.deadlineNanos = System.nanoTime() + maxWait.toNanos();
  }

  /** The session as it stands when this poll ends; fails with {@code 404 M_NOT_FOUND} when it is gone. */
  public Future<RendezvousSession> result() {
    return result.future();
  }

  /** Gives up silently (the client went away). */
  public void cancel() {
    finish();
  }

  void start() {
    parked = waiters.add(id, this);
    read.get().onComplete(first -> {
      if (done) {
        return;
      }
      if (first.failed() || !parked || !first.result().token().equals(seenToken)) {
        // Gone, already changed, or no room to park: answer now.
        complete(first.failed() ? Future.failedFuture(first.cause()) : Future.succeededFuture(first.result()));
        return;
      }
      long untilExpiryNanos = first.result().expiresIn(clock.millis()).toNanos() + 1_000_000;
      long waitNanos = Math.min(deadlineNanos - System.nanoTime(), untilExpiryNanos);
      if (waitNanos <= 0) {
        complete(Future.succeededFuture(first.result()));
        return;
      }
      timer = vertx.setTimer(Math.max(1, waitNanos / 1_000_000), t -> {
        timer = -1;
        read.get().onComplete(this::complete);
      });
    });
  }

  @Override
  public void changed(SessionChanged change) {
    if (!change.deleted() && seenToken.equals(change.token())) {
      return;
    }
    context.runOnContext(v -> {
      if (done) {
        return;
      }
      read.get().onComplete(now -> {
        if (now.failed() || !now.result().token().equals(seenToken)) {
          complete(now);
        }
      });
    });
  }

  private void complete(io.vertx.core.AsyncResult<RendezvousSession> outcome) {
    if (done) {
      return;
    }
    finish();
    result.handle(outcome);
  }

  private void finish() {
    if (done) {
      return;
    }
    done = true;
    if (parked) {
      waiters.remove(id, this);
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
