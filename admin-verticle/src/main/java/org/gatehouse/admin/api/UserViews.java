package org.gatehouse.admin.api;

import io.vertx.core.json.JsonObject;
import org.gatehouse.admin.domain.Moderation;
import org.gatehouse.common.auth.AccountInfo;

/** A user as the admin API shows it: the auth module's account and the admin module's restrictions. */
final class UserViews {
  private UserViews() {
  }

  static JsonObject of(AccountInfo account, Moderation moderation) {
    return account.toJson().put("suspended", moderation.suspended()).put("locked", moderation.locked());
  }
}
