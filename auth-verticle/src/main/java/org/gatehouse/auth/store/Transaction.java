package org.gatehouse.auth.store;

/**
 * The stores inside one transaction ({@link Stores#inTransaction}). Only here do the {@code lock} methods mean
 * anything: a row they read stays locked until the transaction ends.
 */
public interface Transaction extends StoreAccess {
}
