package org.gatehouse.admin.matrix;

import io.vertx.ext.web.Router;
import java.time.Clock;
import org.gatehouse.admin.auth.AdminGate;
import org.gatehouse.admin.domain.Restriction;
import org.gatehouse.admin.service.ModerationService;
import org.gatehouse.common.auth.Authenticator;
import org.gatehouse.common.homeserver.Homeserver;

/** The Matrix endpoints of the admin module: MSC4323 (stable and unstable paths) and the capabilities. */
public final class ModerationRoutes {
  private ModerationRoutes() {
  }

  public static void mount(Router router, Authenticator authenticator, ModerationTargets targets,
                           ModerationService moderation, Clock clock, Homeserver homeserver) {
    AdminGate gate = new AdminGate(authenticator);
    for (Restriction restriction : Restriction.values()) {
      GetRestrictionHandler get = new GetRestrictionHandler(restriction, gate, targets, moderation);
      PutRestrictionHandler put = new PutRestrictionHandler(restriction, gate, targets, moderation, clock);
      for (String path : ModerationPaths.of(restriction)) {
        router.get(path).handler(get);
        router.put(path).handler(put);
      }
    }
    CapabilitiesHandler capabilities = new CapabilitiesHandler(authenticator, homeserver);
    router.get(ModerationPaths.CAPABILITIES).handler(capabilities);
    router.get(ModerationPaths.CAPABILITIES_R0).handler(capabilities);
  }
}
