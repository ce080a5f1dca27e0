package org.gatehouse.server.cli;

import java.util.List;
import org.gatehouse.admin.AdminModule;
import org.gatehouse.auth.AuthModule;
import org.gatehouse.common.module.GatehouseModule;
import org.gatehouse.homeserver.HomeserverModule;
import org.gatehouse.rendezvous.RendezvousModule;

/**
 * The modules every node runs, in deployment order, which is also the order the router tries their routes in.
 * The homeserver connector first: it is configured before the others (they learn from it whether a homeserver is
 * kept in step) and serves no route; it is deployed only when a {@code homeserver} section is configured.
 * Rendezvous next: its polls are the most frequent requests, and it needs no other module to start (it asks auth
 * who a requester is only when serving, and the listener opens once every module is up). Then admin, before auth,
 * which loads the account-status snapshot from it as it starts.
 */
public final class Modules {
  private Modules() {
  }

  public static List<GatehouseModule<?>> all() {
    return List.of(new HomeserverModule(), new RendezvousModule(), new AdminModule(), new AuthModule());
  }
}
