package org.gatehouse.auth.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import org.gatehouse.auth.crypto.Digests;
import org.gatehouse.auth.domain.Client;
import org.gatehouse.auth.domain.ClientMetadata;
import org.gatehouse.auth.store.ClientStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** OAuth clients on PostgreSQL: registered metadata kept whole, identical public registrations shared, configured clients updated. */
@ExtendWith(VertxExtension.class)
class PgClientStoreTest {
  static final ClientMetadata CONFIDENTIAL = new ClientMetadata("web", "https://app.test/",
      List.of("https://app.test/cb", "https://app.test/other"), List.of("code"),
      List.of("authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"),
      ClientMetadata.PRIVATE_KEY_JWT, new JsonObject().put("keys", new JsonArray().add(new JsonObject().put("kty", "EC").put("crv", "P-256"))),
      "ES256", Map.of("client_name", "App", "client_name#fr", "Appli", "logo_uri", "https://app.test/logo.png",
          "tos_uri", "https://app.test/tos", "policy_uri", "https://app.test/policy"));

  ClientStore clients;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    clients = TestStores.fresh(vertx).stores.clients();
  }

  @Test
  void aRegisteredClientComesBackWithEveryField() {
    byte[] secret = Digests.sha256("secret");
    Client registered = clients.register("client-1", CONFIDENTIAL, secret, null).await();
    assertThat(registered.clientId()).isEqualTo("client-1");
    assertThat(registered.metadata()).isEqualTo(CONFIDENTIAL);
    assertThat(registered.secretHash()).isEqualTo(secret);
    assertThat(registered.isStatic()).isFalse();
    assertThat(registered.mayIntrospect()).isFalse();
    assertThat(clients.byId("client-1").await()).get().usingRecursiveComparison().isEqualTo(registered);
    assertThat(clients.byId("client-2").await()).isEmpty();
  }

  @Test
  void anIdenticalPublicRegistrationGetsTheEarlierClientBack() {
    ClientMetadata metadata = TestStores.metadata("Phone");
    Client first = clients.register("first", metadata, null, "digest-of-phone").await();
    Client again = clients.register("second", metadata, null, "digest-of-phone").await();
    assertThat(first.clientId()).isEqualTo("first");
    assertThat(first.secretHash()).isNull();
    assertThat(again.clientId()).isEqualTo("first");
    assertThat(again.metadata()).isEqualTo(metadata);
    assertThat(clients.byId("second").await()).isEmpty();

    Client other = clients.register("third", TestStores.metadata("Tablet"), null, "digest-of-tablet").await();
    assertThat(other.clientId()).isEqualTo("third");
  }

  @Test
  void confidentialRegistrationsWithoutADigestAlwaysGetANewClient() {
    clients.register("one", CONFIDENTIAL, Digests.sha256("a"), null).await();
    Client two = clients.register("two", CONFIDENTIAL, Digests.sha256("b"), null).await();
    assertThat(two.clientId()).isEqualTo("two");
    assertThat(clients.byId("one").await().orElseThrow().secretHash()).isEqualTo(Digests.sha256("a"));
  }

  @Test
  void aConfiguredClientIsCreatedThenUpdatedInPlace() {
    clients.upsertStatic("homeserver", CONFIDENTIAL, Digests.sha256("old"), true).await();
    Client created = clients.byId("homeserver").await().orElseThrow();
    assertThat(created.isStatic()).isTrue();
    assertThat(created.mayIntrospect()).isTrue();
    assertThat(created.metadata()).isEqualTo(CONFIDENTIAL);
    assertThat(created.secretHash()).isEqualTo(Digests.sha256("old"));

    ClientMetadata changed = TestStores.metadata("Renamed");
    clients.upsertStatic("homeserver", changed, null, false).await();
    Client updated = clients.byId("homeserver").await().orElseThrow();
    assertThat(updated.isStatic()).isTrue();
    assertThat(updated.mayIntrospect()).isFalse();
    assertThat(updated.metadata()).isEqualTo(changed);
    assertThat(updated.metadata().tokenEndpointAuthMethod()).isEqualTo(ClientMetadata.NONE);
    assertThat(updated.secretHash()).isNull();
  }
}
