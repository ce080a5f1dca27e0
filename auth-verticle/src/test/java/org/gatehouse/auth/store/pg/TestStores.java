package org.gatehouse.auth.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.gatehouse.auth.AuthModule;
import org.gatehouse.auth.domain.ClientMetadata;
import org.gatehouse.auth.domain.User;
import org.gatehouse.auth.store.Transaction;
import org.gatehouse.common.testing.MutableClock;
import org.gatehouse.common.testing.TestPostgres;

/**
 * The auth module's stores on a fresh database of the embedded PostgreSQL with auth's migrations applied, on a clock
 * the test moves by hand, with the rows most store tests start from (an account, a client, a session) and the check
 * that a lock taken in one transaction holds another back until the first ends.
 */
final class TestStores {
  /** Where the clock starts: whole microseconds, as {@code timestamptz} keeps them, so instants come back equal. */
  static final Instant START = Instant.parse("2030-01-02T03:04:05.123456Z");
  /** The client {@link #session} signs in with; {@link #client} creates it. */
  static final String CLIENT = "test-client";
  static final String CLIENT_NAME = "Test Client";

  final Pool pool;
  final MutableClock clock = new MutableClock(START);
  final PgStores stores;
  private boolean clientCreated;

  private TestStores(Pool pool) {
    this.pool = pool;
    this.stores = new PgStores(pool, clock);
  }

  /** On a new database, closed with {@code vertx}. */
  static TestStores fresh(Vertx vertx) {
    return new TestStores(TestPostgres.newMigratedPool(vertx, AuthModule.NAME));
  }

  /** A public client's metadata, named {@code name}. */
  static ClientMetadata metadata(String name) {
    return new ClientMetadata("native", "https://client.test/", List.of("https://client.test/cb"), List.of("code"),
        List.of("authorization_code", "refresh_token"), ClientMetadata.NONE, null, null, Map.of("client_name", name));
  }

  /** An ordinary account (no password, not an administrator). */
  User user(String localpart) {
    return stores.users().create(localpart, null, false, null).await();
  }

  /** Creates {@link #CLIENT} (named {@link #CLIENT_NAME}) unless it exists. */
  void client() {
    if (!clientCreated) {
      stores.clients().upsertStatic(CLIENT, metadata(CLIENT_NAME), null, false).await();
      clientCreated = true;
    }
  }

  /** An open session of {@code user} with {@link #CLIENT} on {@code deviceId} (null: none), scope {@code openid}. */
  UUID session(User user, String deviceId) {
    client();
    return stores.sessions().create(user.id(), deviceId, CLIENT, "openid").await();
  }

  /**
   * Runs {@code lock} in one transaction and, while that transaction is open, starts {@code contender} in another;
   * checks that the contender is still held back a moment later, then lets the first transaction make {@code change}
   * with what it locked and commit. Completes with the contender's outcome, once it got through.
   */
  <L, T> Future<T> contended(Function<Transaction, Future<L>> lock, BiFunction<Transaction, L, Future<?>> change,
                             Function<Transaction, Future<T>> contender) throws Exception {
    Promise<Void> locked = Promise.promise();
    Promise<Void> release = Promise.promise();
    Future<Object> first = stores.inTransaction(tx -> lock.apply(tx).compose(held -> {
      locked.complete();
      return release.future().compose(go -> change.apply(tx, held)).map(done -> (Object) done);
    }));
    Future.any(locked.future(), first.otherwiseEmpty()).await(30, TimeUnit.SECONDS);
    assertThat(first.failed()).as("the first transaction failed: %s", first.cause()).isFalse();
    Future<T> second = stores.inTransaction(contender);
    Thread.sleep(300);
    assertThat(second.isComplete()).as("the second transaction waits for the first one's lock").isFalse();
    release.complete();
    first.await(30, TimeUnit.SECONDS);
    return second;
  }
}
