package org.gatehouse.auth.store.pg;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import java.util.function.Function;

/**
 * Where a store's statements run: on the pool, each statement on its own, or on the connection of the transaction
 * the store belongs to.
 */
final class Db {
  private final Pool pool;
  private final SqlConnection connection;

  private Db(Pool pool, SqlConnection connection) {
    this.pool = pool;
    this.connection = connection;
  }

  static Db pool(Pool pool) {
    return new Db(pool, null);
  }

  static Db transaction(SqlConnection connection) {
    return new Db(null, connection);
  }

  SqlClient sql() {
    return pool != null ? pool : connection;
  }

  /**
   * Runs statements that must commit together: in a transaction of their own on the pool, or as part of the
   * transaction already open.
   */
  <T> Future<T> atomically(Function<SqlConnection, Future<T>> work) {
    return pool != null ? pool.withTransaction(work) : work.apply(connection);
  }
}
