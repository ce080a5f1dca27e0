package org.gatehouse.auth.store;

import io.vertx.core.Future;
import java.util.function.Function;

/**
 * The auth module's storage and its unit of work. Outside {@link #inTransaction} every store call is a statement
 * of its own; inside, the stores of the {@link Transaction} share one transaction, which the unit of work owns:
 * it commits when {@code work}'s future succeeds and rolls back when it fails. Grants and services never see the
 * database driver.
 *
 * <p>A transaction holds row locks and a connection: never wait on the network inside one. What must reach the
 * homeserver before the change is done before the transaction opens.
 */
public interface Stores extends StoreAccess {
  <T> Future<T> inTransaction(Function<Transaction, Future<T>> work);
}
