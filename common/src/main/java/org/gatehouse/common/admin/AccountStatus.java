package org.gatehouse.common.admin;

import io.vertx.core.json.JsonObject;

/**
 * The moderation state of one account, owned by the admin module.
 *
 * @param userId the full Matrix user ID
 * @param suspended MSC3823: the account may read but not change anything
 * @param locked MSC3939: the account may do nothing but log out; its sessions are kept
 * @param version increases with every change of any account's status; a node that holds a newer version of an
 *     account's status ignores an older one (a snapshot loaded while a change was being broadcast)
 */
public record AccountStatus(String userId, boolean suspended, boolean locked, long version) {
  public JsonObject toJson() {
    return new JsonObject().put("user_id", userId).put("suspended", suspended).put("locked", locked)
        .put("version", version);
  }

  public static AccountStatus fromJson(JsonObject json) {
    return new AccountStatus(json.getString("user_id"), json.getBoolean("suspended", false),
        json.getBoolean("locked", false), json.getLong("version", 0L));
  }

  public boolean isDefault() {
    return !suspended && !locked;
  }
}
