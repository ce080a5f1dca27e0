package org.gatehouse.admin.status;

import io.vertx.core.Future;
import java.util.List;
import org.gatehouse.common.admin.AccountStatus;

/** The moderation state of accounts, owned by the admin module. */
public interface AccountStatusStore {
  /** Every account currently suspended or locked. */
  Future<List<AccountStatus>> restricted();
}
