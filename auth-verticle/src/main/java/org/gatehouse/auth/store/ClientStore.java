package org.gatehouse.auth.store;

import io.vertx.core.Future;
import java.util.Optional;
import org.gatehouse.auth.domain.Client;
import org.gatehouse.auth.domain.ClientMetadata;

/** OAuth clients: dynamically registered and configured ones. */
public interface ClientStore {
  /**
   * Registers a client. A public client whose metadata equals an earlier one gets that client's id back
   * ({@code digest} identifies the metadata); a confidential client always gets a new id, since its secret
   * cannot be handed out twice.
   */
  Future<Client> register(String newClientId, ClientMetadata metadata, byte[] secretHash, String digest);

  Future<Optional<Client>> byId(String clientId);

  /** Creates or updates a configured client at start. */
  Future<Void> upsertStatic(String clientId, ClientMetadata metadata, byte[] secretHash, boolean mayIntrospect);
}
