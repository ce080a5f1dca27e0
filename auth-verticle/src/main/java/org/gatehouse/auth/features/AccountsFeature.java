package org.gatehouse.auth.features;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import org.gatehouse.auth.accounts.AccountCreation;
import org.gatehouse.auth.accounts.AccountService;
import org.gatehouse.auth.accounts.Deactivation;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.requester.SessionTerminator;
import org.gatehouse.auth.store.DeviceStore;
import org.gatehouse.auth.store.SessionStore;
import org.gatehouse.auth.store.UserStore;

/** The accounts service other modules call over the event bus: accounts, their sessions and devices. */
public final class AccountsFeature {
  /** What the feature is built from. */
  public record Needs(EventBus bus, UserStore users, SessionStore sessions, DeviceStore devices,
                      SessionTerminator terminator, AccountCreation creation, Deactivation deactivation,
                      UserIds userIds) {
  }

  private final Needs needs;

  public AccountsFeature(Needs needs) {
    this.needs = needs;
  }

  /** Registers the service's consumers. */
  public Future<Void> start() {
    return new AccountService(needs.users(), needs.sessions(), needs.devices(), needs.terminator(), needs.creation(),
        needs.deactivation(), needs.userIds()).register(needs.bus());
  }
}
