package org.gatehouse.admin.matrix;

import io.vertx.core.Future;
import org.gatehouse.admin.auth.AuthAccounts;
import org.gatehouse.admin.domain.LocalUserIds;
import org.gatehouse.common.auth.AccountInfo;
import org.gatehouse.common.auth.Requester;
import org.gatehouse.common.http.MatrixError;

/**
 * The MSC4323 checks on the target of a suspend or lock request, run after the caller was admitted as an
 * administrator (so nothing here can tell a non-administrator whether a user exists), in the order: well-formed
 * local user ID (400), not the caller (403), exists and is not deactivated (404), is not an administrator (403).
 */
public final class ModerationTargets {
  private final LocalUserIds userIds;
  private final AuthAccounts accounts;

  public ModerationTargets(LocalUserIds userIds, AuthAccounts accounts) {
    this.userIds = userIds;
    this.accounts = accounts;
  }

  /** The user ID from the path if it names a user of this server; otherwise 400 {@code M_INVALID_PARAM}. */
  public String wellFormed(String userId) {
    return userIds.requireLocal(userId);
  }

  /** The target account once the remaining checks pass. */
  public Future<AccountInfo> resolve(Requester caller, String userId) {
    if (userId.equals(caller.userId())) {
      return Future.failedFuture(MatrixError.forbidden("You cannot suspend or lock your own account"));
    }
    return accounts.get(userId)
        .recover(failure -> Future.failedFuture(failure instanceof MatrixError error && error.status() == 404
            ? notFound() : failure))
        .compose(account -> {
          if (account.deactivated()) {
            return Future.failedFuture(notFound());
          }
          if (account.admin()) {
            return Future.failedFuture(MatrixError.forbidden("The user is a server administrator; administrators "
                + "cannot be suspended or locked"));
          }
          return Future.succeededFuture(account);
        });
  }

  // One message for unknown and deactivated users: an administrator needs no more, and nobody else gets here.
  private static MatrixError notFound() {
    return MatrixError.notFound("No such user, or the user is deactivated");
  }
}
