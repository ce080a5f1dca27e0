package org.gatehouse.common.auth;

/**
 * The event-bus addresses the auth module serves or publishes. Other modules only ever reach auth's data
 * through these; the message shapes are the records of this package and {@code docs/event-bus.md}.
 */
public final class AuthAddresses {
  /**
   * Request/reply, a local consumer on every node: "who is this bearer token?". Body {@link ResolveRequest};
   * reply {@link Requester}; refusals are Matrix errors ({@code 401 M_UNKNOWN_TOKEN}, {@code 400 M_UNKNOWN_DEVICE},
   * {@code 403 M_EXCLUSIVE}, ...). Callers use {@link Authenticator} rather than this address directly.
   */
  public static final String RESOLVE_REQUESTER = "gatehouse.auth.requester.resolve";

  // Account administration, for the admin module. Request/reply, local consumers on every node. Bodies name users
  // by full Matrix user ID; refusals are Matrix errors (404 M_NOT_FOUND for an unknown user, 400 for bad input).

  /** {@code {"user_id"}} → {@link AccountInfo}; deactivated accounts are returned (with {@code deactivated: true}). */
  public static final String ACCOUNT_GET = "gatehouse.auth.accounts.get";

  /**
   * {@code {"from"?: user_id, "limit": n, "deactivated"?: bool, "user_ids"?: [..]}} → {@code {"accounts": [AccountInfo],
   * "next_from"?: user_id}}: accounts ordered by localpart, after {@code from}'s; {@code user_ids} restricts the page
   * to those accounts (unknown ones are left out).
   */
  public static final String ACCOUNT_LIST = "gatehouse.auth.accounts.list";

  /**
   * {@code {"user_id", "display_name": string | null}} → {@link AccountInfo}: sets (null: removes) the display name;
   * the homeserver learns it from the fact {@code AuthFacts.DisplayNameChanged}. {@code 400 M_INVALID_PARAM} for a
   * name over 256 characters or with control characters, {@code 404 M_NOT_FOUND} for an unknown or deactivated one.
   */
  public static final String ACCOUNT_SET_DISPLAY_NAME = "gatehouse.auth.accounts.set_display_name";

  /**
   * {@link CreateAccount} {@code {"localpart", "password"? | "password_hash"?, "admin": bool, "display_name"?}} →
   * {@link AccountInfo}. Errors: {@code M_USER_IN_USE}, {@code M_INVALID_USERNAME}, {@code M_WEAK_PASSWORD},
   * {@code M_INVALID_PARAM}. Also served on a node started for a command-line command ({@code gatehouse user add}).
   */
  public static final String ACCOUNT_CREATE = "gatehouse.auth.accounts.create";

  /** {@code {"user_id", "admin": bool}} → {@link AccountInfo}. Every node forgets the account's cached tokens first. */
  public static final String ACCOUNT_SET_ADMIN = "gatehouse.auth.accounts.set_admin";

  /**
   * {@code {"user_id", "by"}} → {@link AccountInfo}: the account can no longer sign in, all its sessions end and its
   * devices are deleted, on every node before the reply.
   */
  public static final String ACCOUNT_DEACTIVATE = "gatehouse.auth.accounts.deactivate";

  /** {@code {"user_id"}} → {@code {"sessions": [SessionInfo]}}: the account's open sessions, newest first. */
  public static final String SESSIONS_LIST = "gatehouse.auth.sessions.list";

  /** {@code {"user_id", "session_id", "by"}} → {@code {}}; 404 {@code M_NOT_FOUND} if no such open session. */
  public static final String SESSION_END = "gatehouse.auth.sessions.end";

  /**
   * {@code {"user_id"}} → {@code {"devices": [{"device_id","display_name","created_ts","created_by","last_seen_ts",
   * "last_seen_ip"}]}}; {@code created_by} is the OAuth client or appservice that created the device.
   */
  public static final String DEVICES_LIST = "gatehouse.auth.devices.list";

  /**
   * {@code {"by"}} → {@code {"appservices": [ids], "digest"}}: re-reads the appservice registration files on this
   * node and makes the result the registrations of every node (acknowledged). A file problem is a
   * {@code 400 M_INVALID_PARAM} naming the file and field, and nothing changes. Sent by SIGHUP and the admin API.
   */
  public static final String APPSERVICES_RELOAD = "gatehouse.auth.appservices.reload";

  private AuthAddresses() {
  }
}
