package org.gatehouse.admin.testing;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.UUID;
import org.gatehouse.common.auth.SessionInfo;
import org.gatehouse.common.testing.AuthAccountsContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admin tests' stand-in for the auth module against the account contract the auth module itself passes. */
@ExtendWith(VertxExtension.class)
class FakeAuthContractTest extends AuthAccountsContract {
  final FakeAuth auth = new FakeAuth();
  EventBus bus;

  @BeforeAll
  void start(Vertx vertx) {
    auth.register(vertx);
    bus = vertx.eventBus();
  }

  @Override
  protected EventBus bus() {
    return bus;
  }

  /** As signing in does: a session of a client on a device of its own. */
  @Override
  protected void openSession(String localpart, String password) {
    String userId = FakeAuth.userId(localpart);
    String deviceId = "DEV" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    auth.session(userId, new SessionInfo(UUID.randomUUID().toString(), "client-1", "Test client", deviceId,
            "urn:matrix:client:api:* urn:matrix:client:device:" + deviceId, 7_000))
        .device(userId, new JsonObject().put("device_id", deviceId).putNull("display_name").put("created_ts", 7_000)
            .put("created_by", "client-1").putNull("last_seen_ts").putNull("last_seen_ip"));
  }
}
