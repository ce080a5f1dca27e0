package org.gatehouse.infra.hazelcast;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Hazelcast's async results as Vert.x futures completed on a given context.
 *
 * <p>{@code Future.fromCompletionStage(stage, context)} registers with {@code whenComplete}, which Hazelcast runs
 * on its default async executor: {@code ForkJoinPool.commonPool()}, or, where the common pool has a parallelism
 * of 1 (machines with two cores or fewer), <em>a new thread for every callback</em>. Registering with a
 * caller-runs executor instead runs the hand-over to the context on the Hazelcast thread that completed the
 * operation: one hop, no thread created. Neither Vert.x nor vertx-hazelcast offers that variant, hence this class
 * (see {@code docs/benchmarks.md} for what the thread-per-callback fallback costs).
 */
public final class HazelcastFutures {
  private static final Executor CALLER_RUNS = Runnable::run;

  private HazelcastFutures() {
  }

  public static <T> Future<T> onContext(CompletionStage<T> stage, Context context) {
    Promise<T> promise = Promise.promise();
    stage.whenCompleteAsync((value, failure) -> context.runOnContext(v -> {
      if (failure == null) {
        promise.complete(value);
      } else {
        promise.fail(failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
            : failure);
      }
    }), CALLER_RUNS);
    return promise.future();
  }
}
