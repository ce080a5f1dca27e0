package org.gatehouse.auth.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Optional;
import org.gatehouse.auth.crypto.PasswordHasher;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.requester.AccountStatusView;
import org.gatehouse.auth.store.UserStore;
import org.gatehouse.common.ratelimit.ClusterRateLimiter;
import org.gatehouse.common.ratelimit.RateLimit;

/**
 * Checks a username and password. Failed attempts are limited per account and per client address, counted
 * across the cluster; while a limit holds, even the right password is refused, so guessing stays slow. Unknown
 * accounts cost the same hashing time as known ones. A locked account is refused after its password was
 * verified, so the lock is not revealed to someone who does not know the password.
 */
public final class SignIn {
  /** The result of an attempt. */
  public sealed interface Result permits Success, WrongCredentials, Locked, Limited {
  }

  public record Success(User user) implements Result {
  }

  public record WrongCredentials() implements Result {
  }

  public record Locked() implements Result {
  }

  public record Limited(Duration retryAfter) implements Result {
  }

  private final Vertx vertx;
  private final UserStore users;
  private final PasswordHasher hasher;
  private final ClusterRateLimiter limiter;
  private final RateLimit perAccount;
  private final RateLimit perAddress;
  private final AccountStatusView statuses;
  private final UserIds userIds;

  public SignIn(Vertx vertx, UserStore users, PasswordHasher hasher, ClusterRateLimiter limiter, RateLimit perAccount,
                RateLimit perAddress, AccountStatusView statuses, UserIds userIds) {
    this.vertx = vertx;
    this.users = users;
    this.hasher = hasher;
    this.limiter = limiter;
    this.perAccount = perAccount;
    this.perAddress = perAddress;
    this.statuses = statuses;
    this.userIds = userIds;
  }

  public Future<Result> attempt(String typedUsername, String password, String clientAddress) {
    String localpart = userIds.normaliseLogin(typedUsername);
    String accountKey = "signin:account:" + (localpart == null ? "-" : localpart);
    String addressKey = "signin:address:" + clientAddress;
    return Future.all(limiter.peek(accountKey, perAccount), limiter.peek(addressKey, perAddress))
        .compose(waits -> {
          Duration wait = max(waits.resultAt(0), waits.resultAt(1));
          if (!wait.isZero()) {
            return Future.succeededFuture(new Limited(wait));
          }
          Future<Optional<User>> user = localpart == null ? Future.succeededFuture(Optional.empty())
              : users.byLocalpart(localpart);
          return user.compose(found -> verify(found, password)).compose(result -> {
            if (result instanceof WrongCredentials) {
              return Future.all(limiter.take(accountKey, perAccount), limiter.take(addressKey, perAddress))
                  .map(taken -> result);
            }
            return Future.succeededFuture(result);
          });
        });
  }

  private Future<Result> verify(Optional<User> found, String password) {
    User user = found.filter(u -> !u.deactivated() && u.passwordHash() != null).orElse(null);
    return vertx.<Result>executeBlocking(() -> {
      if (user == null) {
        hasher.verifyDecoy(password);
        return new WrongCredentials();
      }
      if (!hasher.verify(password, user.passwordHash())) {
        return new WrongCredentials();
      }
      if (statuses.of(userIds.of(user.localpart())).locked()) {
        return new Locked();
      }
      return new Success(user);
    }, false).compose(result -> {
      if (result instanceof Success success && hasher.needsRehash(success.user().passwordHash())) {
        // An imported bcrypt hash (or a weaker argon2id) becomes a current argon2id hash now that we know the password.
        return vertx.executeBlocking(() -> hasher.hash(password), false)
            .compose(hash -> users.setPasswordHash(success.user().id(), hash)).map(result);
      }
      return Future.succeededFuture(result);
    });
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
