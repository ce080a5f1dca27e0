package org.gatehouse.auth.store;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.gatehouse.auth.domain.User;

/** Accounts. */
public interface UserStore {
  /** Creates an account; fails with {@link DuplicateException} if the localpart is taken. */
  Future<User> create(String localpart, String passwordHash, boolean admin, String appserviceId);

  /** As {@link #create(String, String, boolean, String)}, with a display name (null for none). */
  Future<User> create(String localpart, String passwordHash, boolean admin, String appserviceId, String displayName);

  /** Sets (null: removes) the display name of an active account; completes with whether there was one. */
  Future<Boolean> setDisplayName(String localpart, String displayName);

  Future<Optional<User>> byLocalpart(String localpart);

  Future<Optional<User>> byId(UUID id);

  Future<Void> setPasswordHash(UUID id, String passwordHash);

  /**
   * Sets or clears the admin flag of an active account; completes with false if it was unknown or deactivated.
   * Clearing it fails with {@link LastAdminException} when the account is the last active administrator.
   */
  Future<Boolean> setAdmin(String localpart, boolean admin);

  /**
   * Marks the account deactivated; completes with false if it was unknown or already deactivated, and fails with
   * {@link LastAdminException} when it is the last active administrator.
   */
  Future<Boolean> deactivate(String localpart);

  /** The accounts among {@code localparts} that exist. */
  Future<List<User>> byLocalparts(List<String> localparts);

  /** Accounts ordered by localpart, after {@code afterLocalpart} (exclusive) when given. */
  Future<List<User>> page(String afterLocalpart, int limit, Boolean deactivated);

  /**
   * The change would leave no active administrator (the account is the last one with the admin flag that is not
   * deactivated): refused, so that somebody can still administer the server without the command line.
   */
  final class LastAdminException extends RuntimeException {
    public LastAdminException(String message) {
      super(message, null, false, false);
    }
  }

  /** A unique constraint was violated: the thing already exists. */
  final class DuplicateException extends RuntimeException {
    public DuplicateException(String message) {
      super(message, null, false, false);
    }
  }
}
