package org.gatehouse.homeserver.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What {@code /metrics} says of the outbox: its depth and the age of its oldest pending call (read from the
 * database, so every node reports the cluster's figures), calls sent and failures by operation.
 */
public final class OutboxMetrics {
  private final MeterRegistry registry;
  private final Clock clock;
  private final AtomicReference<Outbox.Depth> depth = new AtomicReference<>(new Outbox.Depth(0, 0, null));

  public OutboxMetrics(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
    Gauge.builder("gatehouse.homeserver.outbox.pending", depth, d -> d.get().pending())
        .description("calls to the homeserver waiting in the outbox").register(registry);
    Gauge.builder("gatehouse.homeserver.outbox.failed", depth, d -> d.get().failed())
        .description("calls the homeserver refused for good, kept for inspection").register(registry);
    Gauge.builder("gatehouse.homeserver.outbox.oldest.age", depth, d -> d.get().oldestPending() == null ? 0
            : Math.max(0, Duration.between(d.get().oldestPending(), clock.instant()).toMillis() / 1000.0))
        .description("age of the oldest pending call, in seconds").baseUnit("seconds").register(registry);
  }

  public void update(Outbox.Depth latest) {
    depth.set(latest);
  }

  public void sent(String operation) {
    Counter.builder("gatehouse.homeserver.calls.sent").tag("operation", operation)
        .description("calls the homeserver took, from the outbox").register(registry).increment();
  }

  /** {@code kind}: {@code retry} (unavailable, tried again later) or {@code refused} (kept as failed). */
  public void failure(String operation, String kind) {
    Counter.builder("gatehouse.homeserver.outbox.failures").tag("operation", operation).tag("kind", kind)
        .description("outbox calls that failed, by operation").register(registry).increment();
  }
}
