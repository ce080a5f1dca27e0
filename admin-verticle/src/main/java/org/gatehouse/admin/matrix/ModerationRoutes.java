package org.gatehouse.admin.matrix;

import io.vertx.ext.web.Router;
import java.time.Clock;
import org.gatehouse.admin.auth.AdminGate;
import org.gatehouse.admin.domain.Restriction;
import org.gatehouse.admin.service.ModerationService;
import org.gatehouse.common.auth.Authenticator;

/** The Matrix endpoints of the admin module: MSC4323 (stable and unstable paths) and the capabilities. */
public final class ModerationRoutes {
  private ModerationRoutes() {
  }

  public static void mount(Router router, Authenticator authenticator, ModerationTargets targets,
                           ModerationService moderation, Clock clock) {
    AdminGate gate = new AdminGate(authenticator);
    for (Restriction restriction : Restriction.values()) {
      GetRestrictionHandler get = new GetRestrictionHandler(restriction, gate, targets, moderation);
      PutRestrictionHandler put = new PutRestrictionHandler(restriction, gate, targets, moderation, clock);
      for (String path : ModerationPaths.of(restriction)) {
        router.get(path).handler(get);
        router.put(path).handler(put);
      }
    }
    router.get(ModerationPaths.CAPABILITIES).handler(new CapabilitiesHandler(authenticator));
  }
}
