package org.gatehouse.auth.store.pg;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.Optional;
import org.gatehouse.auth.domain.Client;
import org.gatehouse.auth.domain.ClientMetadata;
import org.gatehouse.auth.store.ClientStore;

public final class PgClientStore implements ClientStore {
  private final Db db;
  private final Clock clock;

  PgClientStore(Db db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public Future<Client> register(String newClientId, ClientMetadata metadata, byte[] secretHash, String digest) {
    // ON CONFLICT on the digest returns the existing row, so identical public registrations share a client_id
    // even when they arrive at the same moment on different nodes.
    return db.sql().preparedQuery("""
            INSERT INTO auth.clients (client_id, metadata, token_endpoint_auth_method, secret_hash, metadata_digest,
                                      created_at)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (metadata_digest) DO UPDATE SET metadata_digest = EXCLUDED.metadata_digest
            RETURNING client_id, metadata, secret_hash, static, may_introspect""")
        .execute(Tuple.of(newClientId, metadata.toJson(), metadata.tokenEndpointAuthMethod(), secretHash, digest,
            Sql.ts(clock.instant())))
        .map(rows -> client(rows.iterator().next()));
  }

  @Override
  public Future<Optional<Client>> byId(String clientId) {
    return db.sql().preparedQuery("SELECT client_id, metadata, secret_hash, static, may_introspect FROM auth.clients"
            + " WHERE client_id = $1")
        .execute(Tuple.of(clientId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(client(rows.iterator().next())));
  }

  @Override
  public Future<Void> upsertStatic(String clientId, ClientMetadata metadata, byte[] secretHash, boolean mayIntrospect) {
    return db.sql().preparedQuery("""
            INSERT INTO auth.clients (client_id, metadata, token_endpoint_auth_method, secret_hash, static,
                                      may_introspect, created_at)
            VALUES ($1, $2, $3, $4, true, $5, $6)
            ON CONFLICT (client_id) DO UPDATE SET metadata = EXCLUDED.metadata,
              token_endpoint_auth_method = EXCLUDED.token_endpoint_auth_method, secret_hash = EXCLUDED.secret_hash,
              static = true, may_introspect = EXCLUDED.may_introspect""")
        .execute(Tuple.of(clientId, metadata.toJson(), metadata.tokenEndpointAuthMethod(), secretHash, mayIntrospect,
            Sql.ts(clock.instant())))
        .mapEmpty();
  }

  private static Client client(Row row) {
    Object metadata = row.getValue("metadata");
    JsonObject json = metadata instanceof JsonObject j ? j : new JsonObject(String.valueOf(metadata));
    return new Client(row.getString("client_id"), ClientMetadata.fromJson(json), bytes(row), row.getBoolean("static"),
        row.getBoolean("may_introspect"));
  }

  private static byte[] bytes(Row row) {
    var buffer = row.getBuffer("secret_hash");
    return buffer == null ? null : buffer.getBytes();
  }
}
