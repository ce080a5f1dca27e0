package org.gatehouse.admin.status;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import org.gatehouse.common.admin.AccountStatus;

public final class PgAccountStatusStore implements AccountStatusStore {
  private final Pool pool;

  public PgAccountStatusStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<List<AccountStatus>> restricted() {
    return pool.query("SELECT user_id, suspended, locked, version FROM admin.account_status WHERE suspended OR locked")
        .execute()
        .map(rows -> {
          List<AccountStatus> result = new ArrayList<>();
          rows.forEach(r -> result.add(new AccountStatus(r.getString("user_id"), r.getBoolean("suspended"),
              r.getBoolean("locked"), r.getLong("version"))));
          return result;
        });
  }
}
