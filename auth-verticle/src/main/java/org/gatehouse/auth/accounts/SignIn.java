package org.gatehouse.auth.accounts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.gatehouse.auth.crypto.PasswordHasher;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.domain.UserIds;
import org.gatehouse.auth.requester.AccountStatusView;
import org.gatehouse.auth.store.UserStore;
import org.gatehouse.infra.ratelimit.Budget;
import org.gatehouse.infra.ratelimit.ClusterRateLimiter;
import org.gatehouse.infra.ratelimit.RateLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a username and password: the one place a password is verified, for every page that asks for one. Failed
 * attempts are limited per account and per client address, counted across the cluster; while a limit holds, even
 * the right password is refused, so guessing stays slow. Unknown accounts cost the same hashing time as known
 * ones. A locked account is refused after its password was verified, so the lock is not revealed to someone who
 * does not know the password.
 *
 * <p>Every attempt pays a token from both buckets <em>before</em> its password is checked, and a right password
 * gives them back. Counting only after the check would let attempts sent at the same moment all find the same
 * remaining token (the check takes tens of milliseconds), so a burst of N guesses would all be verified.
 */
public final class SignIn {
  private static final Logger LOG = LoggerFactory.getLogger(SignIn.class);
  /** Accounts this node has already warned about (a hash beyond the bounds); bounded, so it cannot grow forever. */
  private static final int MAX_WARNED = 10_000;

  /** The result of an attempt. */
  public sealed interface Result permits Success, WrongCredentials, Locked, Deactivated, Limited {
  }

  public record Success(User user) implements Result {
  }

  public record WrongCredentials() implements Result {
  }

  /**
   * The right password of a deactivated account. Only the Matrix login API says so ({@code M_USER_DEACTIVATED}, as
   * the spec asks); the sign-in page answers it as wrong credentials, as it always has.
   */
  public record Deactivated() implements Result {
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
  private final Counter passwordChecks;
  private final Counter limited;
  private final Set<String> warnedAbout = ConcurrentHashMap.newKeySet();

  public SignIn(Vertx vertx, UserStore users, PasswordHasher hasher, ClusterRateLimiter limiter, RateLimit perAccount,
                RateLimit perAddress, AccountStatusView statuses, UserIds userIds, MeterRegistry meters) {
    this.vertx = vertx;
    this.users = users;
    this.hasher = hasher;
    this.limiter = limiter;
    this.perAccount = perAccount;
    this.perAddress = perAddress;
    this.statuses = statuses;
    this.userIds = userIds;
    this.passwordChecks = Counter.builder("gatehouse.auth.sign_in.password_checks")
        .description("Passwords verified by sign-in attempts on this node (decoys for unknown accounts included)")
        .register(meters);
    this.limited = Counter.builder("gatehouse.auth.sign_in.limited")
        .description("Sign-in attempts refused by a limit on this node, before any password was checked")
        .register(meters);
  }

  public Future<Result> attempt(String typedUsername, String password, String clientAddress) {
    String localpart = userIds.normaliseLogin(typedUsername);
    // The address first: a flood from one address is then refused from this node's memory of the refusal, and
    // costs the account's bucket nothing.
    List<Budget> budgets = List.of(new Budget("signin:address:" + clientAddress, perAddress),
        new Budget("signin:account:" + (localpart == null ? "-" : localpart), perAccount));
    return limiter.takeEach(budgets).compose(wait -> {
      if (!wait.isZero()) {
        limited.increment();
        return Future.succeededFuture(new Limited(wait));
      }
      Future<Optional<User>> user = localpart == null ? Future.succeededFuture(Optional.empty())
          : users.byLocalpart(localpart);
      return user.compose(found -> verify(found, password)).compose(result -> result instanceof WrongCredentials
          ? Future.succeededFuture(result)
          // The right password (locked or not) gives its tokens back: the limits are about failures, and people who
          // sign in often, or many behind one address, must not be limited by their own successes. It cannot help
          // a guesser: only the right password is refunded. A refund that fails leaves the limit stricter.
          : limiter.refund(budgets).otherwiseEmpty().map(result));
    });
  }

  private Future<Result> verify(Optional<User> found, String password) {
    User user = found.filter(u -> u.passwordHash() != null).orElse(null);
    return vertx.<Result>executeBlocking(() -> {
      passwordChecks.increment();
      if (user == null) {
        hasher.verifyDecoy(password);
        return new WrongCredentials();
      }
      hasher.costProblem(user.passwordHash()).ifPresent(problem -> warnOnce(user, problem));
      if (!hasher.verify(password, user.passwordHash())) {
        return new WrongCredentials();
      }
      if (user.deactivated()) {
        return new Deactivated();
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

  /** A stored hash beyond the bounds never verifies (the hasher refuses it): the operator must reset it. */
  private void warnOnce(User user, String problem) {
    if (warnedAbout.size() < MAX_WARNED && warnedAbout.add(user.localpart())) {
      LOG.warn("the password hash of {} is not verified, so every sign-in to it fails: {}; set a new password",
          userIds.of(user.localpart()), problem);
    }
  }
}
