package org.gatehouse.common.auth;

import io.vertx.core.json.JsonObject;

/**
 * The body of {@link AuthAddresses#ACCOUNT_CREATE}: a new account with a password (hashed by auth) or an imported
 * argon2id or bcrypt hash, never both. The reply is the {@link AccountInfo} of the account.
 *
 * @param password the password, or null (with {@code passwordHash}, or for an account that cannot sign in)
 * @param passwordHash an existing hash to import, or null
 * @param displayName the display name, or null for none
 */
public record CreateAccount(String localpart, String password, String passwordHash, boolean admin,
                            String displayName) {
  /** An account with a password. */
  public static CreateAccount withPassword(String localpart, String password, boolean admin, String displayName) {
    return new CreateAccount(localpart, password, null, admin, displayName);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("localpart", localpart).put("admin", admin);
    if (password != null) {
      json.put("password", password);
    }
    if (passwordHash != null) {
      json.put("password_hash", passwordHash);
    }
    if (displayName != null) {
      json.put("display_name", displayName);
    }
    return json;
  }

  public static CreateAccount fromJson(JsonObject json) {
    return new CreateAccount(json.getString("localpart"), json.getString("password"), json.getString("password_hash"),
        json.getBoolean("admin", false), json.getString("display_name"));
  }
}
