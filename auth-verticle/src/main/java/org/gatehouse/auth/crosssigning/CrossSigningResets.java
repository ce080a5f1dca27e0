package org.gatehouse.auth.crosssigning;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.gatehouse.auth.store.CrossSigningResetStore;
import org.gatehouse.common.auth.AuthFacts;
import org.gatehouse.common.homeserver.Homeserver;

/**
 * Cross-signing reset approvals (MSC4312). Approving on the account page opens a window (10 minutes by default)
 * during which the homeserver may let one replacement of the user's cross-signing keys through without further
 * authentication; the homeserver consumes the window when it does, so one approval allows one reset.
 */
public final class CrossSigningResets {
  /** An open window. */
  public record Window(Instant expiresAt) {
  }

  private final CrossSigningResetStore store;
  private final EventBus bus;
  private final Duration window;
  private final Clock clock;
  private final Homeserver homeserver;

  public CrossSigningResets(CrossSigningResetStore store, EventBus bus, Duration window, Clock clock,
                            Homeserver homeserver) {
    this.store = store;
    this.bus = bus;
    this.window = window;
    this.clock = clock;
    this.homeserver = homeserver;
  }

  public Duration window() {
    return window;
  }

  /**
   * Opens a window for {@code userId}; a homeserver kept in step (Synapse) is told at once, since it decides the
   * upload itself ({@code allow_cross_signing_reset}, its own 10-minute window).
   */
  public Future<Window> approve(UUID userId, String localpart, String matrixUserId) {
    Instant now = clock.instant();
    Instant expires = now.plus(window);
    return store.add(userId, now, expires)
        .compose(done -> homeserver.allowCrossSigningReset(localpart))
        .map(done -> {
          bus.publish(AuthFacts.CrossSigningResetApproved.ADDRESS,
              new AuthFacts.CrossSigningResetApproved(matrixUserId, expires.toEpochMilli(), window.toMillis()).toJson());
          return new Window(expires);
        });
  }

  /** The open (unexpired, unused) window of a user, if any. */
  public Future<Optional<Window>> open(UUID userId) {
    return store.openUntil(userId, clock.instant()).map(expires -> expires.map(Window::new));
  }

  /** Uses the user's open window; completes with whether there was one. Atomic: two calls cannot both succeed. */
  public Future<Boolean> consume(UUID userId, String matrixUserId) {
    Instant now = clock.instant();
    return store.consume(userId, now)
        .map(consumed -> {
          if (consumed) {
            bus.publish(AuthFacts.CrossSigningResetConsumed.ADDRESS,
                new AuthFacts.CrossSigningResetConsumed(matrixUserId).toJson());
          }
          return consumed;
        });
  }
}
