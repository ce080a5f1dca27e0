package org.gatehouse.auth.accounts;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.gatehouse.auth.crypto.PasswordHasher;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.store.UserStore;
import org.gatehouse.common.auth.AuthFacts;
import org.gatehouse.common.homeserver.Homeserver;
import org.gatehouse.common.http.MatrixError;

/**
 * Creates accounts with a password (argon2id) or an imported bcrypt hash, for the sign-up page, the admin API and
 * the command line. With a homeserver kept in step, the name is first checked and then the account provisioned
 * there, before it exists here: nothing can be issued for an account the homeserver lacks, and a homeserver that
 * is away fails the creation cleanly ({@code 503}) with nothing written. Hashing runs on a worker thread.
 */
public final class AccountCreation {
  public static final int MIN_PASSWORD = 8;

  private final Vertx vertx;
  private final UserStore users;
  private final PasswordHasher hasher;
  private final Homeserver homeserver;
  private final UserIds userIds;

  public AccountCreation(Vertx vertx, UserStore users, PasswordHasher hasher, Homeserver homeserver, UserIds userIds) {
    this.vertx = vertx;
    this.users = users;
    this.hasher = hasher;
    this.homeserver = homeserver;
    this.userIds = userIds;
  }

  /** Creates {@code localpart}; fails with a Matrix error ({@code M_INVALID_USERNAME}, {@code M_USER_IN_USE}, ...). */
  public Future<User> create(String localpart, String password, boolean admin) {
    return create(localpart, password, admin, null);
  }

  /** As {@link #create(String, String, boolean)}, with a display name (null or blank for none). */
  public Future<User> create(String localpart, String password, boolean admin, String displayName) {
    if (!UserIds.isValidLocalpart(localpart)) {
      return Future.failedFuture(invalidUsername());
    }
    MatrixError badName = displayNameProblem(displayName);
    if (badName != null) {
      return Future.failedFuture(badName);
    }
    if (password != null && password.length() < MIN_PASSWORD) {
      return Future.failedFuture(new MatrixError(400, "M_WEAK_PASSWORD",
          "The password needs at least " + MIN_PASSWORD + " characters"));
    }
    Future<String> hash = password == null ? Future.succeededFuture(null)
        : vertx.executeBlocking(() -> hasher.hash(password), false);
    return hash.compose(h -> store(localpart, h, admin, normalized(displayName)));
  }

  /** A display name as stored: trimmed, null when blank. */
  public static String normalized(String displayName) {
    return displayName == null || displayName.isBlank() ? null : displayName.strip();
  }

  /** Why {@code displayName} cannot be one (too long, control characters), or null when it can. */
  public static MatrixError displayNameProblem(String displayName) {
    String name = normalized(displayName);
    if (name == null) {
      return null;
    }
    if (name.codePointCount(0, name.length()) > User.MAX_DISPLAY_NAME) {
      return MatrixError.invalidParam("A display name has at most " + User.MAX_DISPLAY_NAME + " characters");
    }
    if (name.codePoints().anyMatch(Character::isISOControl)) {
      return MatrixError.invalidParam("A display name cannot contain control characters");
    }
    return null;
  }

  /**
   * Creates {@code localpart} with an existing argon2id or bcrypt hash (migration from another server); a hash
   * beyond {@link PasswordHasher.Bounds} is refused with {@code M_INVALID_PARAM} naming the bound.
   */
  public Future<User> importHash(String localpart, String encodedHash, boolean admin) {
    return importHash(localpart, encodedHash, admin, null);
  }

  /** As {@link #importHash(String, String, boolean)}, with a display name (null or blank for none). */
  public Future<User> importHash(String localpart, String encodedHash, boolean admin, String displayName) {
    MatrixError badName = displayNameProblem(displayName);
    if (badName != null) {
      return Future.failedFuture(badName);
    }
    if (!PasswordHasher.isSupportedHash(encodedHash)) {
      return Future.failedFuture(MatrixError.invalidParam("Only argon2id and bcrypt password hashes can be imported"));
    }
    // Every sign-in attempt on the account, by anyone, would pay the hash's own cost: refuse what we would not verify.
    var tooCostly = hasher.costProblem(encodedHash);
    if (tooCostly.isPresent()) {
      return Future.failedFuture(MatrixError.invalidParam("This password hash cannot be imported: " + tooCostly.get()));
    }
    if (!UserIds.isValidLocalpart(localpart)) {
      return Future.failedFuture(invalidUsername());
    }
    return store(localpart, encodedHash, admin, normalized(displayName));
  }

  private Future<User> store(String localpart, String hash, boolean admin, String displayName) {
    // Taken here already: answer so without asking the homeserver (which would say the same for a provisioned one).
    return users.byLocalpart(localpart)
        .compose(existing -> existing.isPresent() ? Future.failedFuture(inUse(localpart)) : Future.succeededFuture())
        .compose(free -> homeserver.checkLocalpart(localpart))
        .compose(free -> homeserver.provisionUser(localpart, displayName))
        .compose(provisioned -> users.create(localpart, hash, admin, null, displayName))
        .recover(failure -> failure instanceof UserStore.DuplicateException ? Future.failedFuture(inUse(localpart))
            : Future.failedFuture(failure))
        .onSuccess(user -> vertx.eventBus().publish(AuthFacts.AccountCreated.ADDRESS,
            new AuthFacts.AccountCreated(userIds.of(localpart), null).toJson()));
  }

  private static MatrixError invalidUsername() {
    return new MatrixError(400, "M_INVALID_USERNAME", "User names use lower-case letters, digits and . _ = - / + only");
  }

  private static MatrixError inUse(String localpart) {
    return new MatrixError(400, "M_USER_IN_USE", "User " + localpart + " already exists");
  }
}
