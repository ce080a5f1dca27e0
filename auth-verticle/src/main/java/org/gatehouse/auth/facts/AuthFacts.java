package org.gatehouse.auth.facts;

/**
 * Facts the auth module announces on the event bus (documented with their bodies in {@code docs/event-bus.md}).
 */
public final class AuthFacts {
  /**
   * Acknowledged fact: sessions ended (logout, revocation, replay, device deleted, account deactivated).
   * {@code {"sessions":[{"session_id","user_id","device_id","token_hashes":[hex SHA-256 of its access tokens]}]}}.
   * Every node forgets those tokens before the action that ended the sessions answers.
   */
  public static final String SESSION_ENDED = "gatehouse.auth.session.ended";

  /**
   * Acknowledged fact: access tokens were revoked while their session goes on (the access token a refresh
   * replaced). {@code {"token_hashes":[hex SHA-256]}}. Every node forgets them before the refresh answers.
   */
  public static final String ACCESS_TOKENS_REVOKED = "gatehouse.auth.access_tokens.revoked";

  /**
   * Acknowledged fact: something about an account changed that cached token resolutions carry (deactivated,
   * admin flag). {@code {"user_id","reason"}}. Every node forgets the account's cached tokens.
   */
  public static final String ACCOUNT_CHANGED = "gatehouse.auth.account.changed";

  /** Published: a device was created. {@code {"user_id","device_id","by"}}; {@code by} is a client or appservice id. */
  public static final String DEVICE_CREATED = "gatehouse.auth.device.created";

  /** Published: a device was deleted. {@code {"user_id","device_id","by"}}. */
  public static final String DEVICE_DELETED = "gatehouse.auth.device.deleted";

  private AuthFacts() {
  }
}
