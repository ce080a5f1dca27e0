package org.gatehouse.server.cli;

import java.util.List;
import org.gatehouse.admin.AdminModule;
import org.gatehouse.auth.AuthModule;
import org.gatehouse.common.module.GatehouseModule;
import org.gatehouse.rendezvous.RendezvousModule;

/**
 * The modules every node runs, in deployment order: admin first (auth loads the account-status snapshot from it
 * as it starts), then auth (the others ask it who a requester is), then rendezvous.
 */
public final class Modules {
  private Modules() {
  }

  public static List<GatehouseModule<?>> all() {
    return List.of(new AdminModule(), new AuthModule(), new RendezvousModule());
  }
}
