package org.gatehouse.admin.store;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.gatehouse.admin.domain.Moderation;
import org.gatehouse.admin.domain.ModerationChange;
import org.gatehouse.admin.domain.Restriction;
import org.gatehouse.common.admin.AccountStatus;

/** The moderation state of accounts, owned by the admin module. */
public interface ModerationStore {
  /**
   * The result of {@link #apply}.
   *
   * @param moderation the account's state afterwards
   * @param changed false when the restriction already was as asked: nothing was written, not even to the audit log
   */
  record Applied(Moderation moderation, boolean changed) {
  }

  /**
   * Applies {@code change} in one transaction: the new state with a new version and its audit entry. Changes of the
   * same account are serialised, so versions grow in the order the changes took effect.
   */
  Future<Applied> apply(ModerationChange change);

  /** The state of one account ({@link Moderation#none} when it was never restricted). */
  Future<Moderation> get(String userId);

  /** The states of several accounts; every requested ID is in the map. */
  Future<Map<String, Moderation>> get(Collection<String> userIds);

  /** Every account currently suspended or locked. */
  Future<List<AccountStatus>> restricted();

  /**
   * Up to {@code limit} accounts under {@code restriction}, ordered by localpart (as the auth module orders its
   * listing), after the user ID {@code after} (or from the start).
   */
  Future<List<String>> restrictedUserIds(Restriction restriction, String after, int limit);
}
