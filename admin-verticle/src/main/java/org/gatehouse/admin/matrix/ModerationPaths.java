package org.gatehouse.admin.matrix;

import java.util.List;
import org.gatehouse.admin.domain.Restriction;

/** The MSC4323 paths: stable, and under the unstable prefix (same bodies, same error codes). */
public final class ModerationPaths {
  public static final String STABLE_PREFIX = "/_matrix/client/v1/admin/";
  public static final String UNSTABLE_PREFIX = "/_matrix/client/unstable/uk.timedout.msc4323/admin/";
  public static final String CAPABILITIES = "/_matrix/client/v3/capabilities";
  /** The same under {@code r0}, which Synapse also serves (older clients ask there). */
  public static final String CAPABILITIES_R0 = "/_matrix/client/r0/capabilities";

  private ModerationPaths() {
  }

  /** The route paths of {@code restriction}, with {@code :userId} as the path parameter. */
  public static List<String> of(Restriction restriction) {
    return List.of(STABLE_PREFIX + restriction.pathSegment() + "/:userId",
        UNSTABLE_PREFIX + restriction.pathSegment() + "/:userId");
  }
}
