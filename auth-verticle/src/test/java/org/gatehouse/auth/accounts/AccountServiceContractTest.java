package org.gatehouse.auth.accounts;

import io.vertx.core.eventbus.EventBus;
import org.gatehouse.auth.AuthTestServer;
import org.gatehouse.common.testing.AuthAccountsContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The auth module itself against the account contract the admin module relies on (and its tests' stand-in passes). */
class AccountServiceContractTest extends AuthAccountsContract {
  AuthTestServer auth;

  @BeforeAll
  void start() throws Exception {
    auth = AuthTestServer.start();
  }

  @AfterAll
  void stop() {
    auth.close();
  }

  @Override
  protected EventBus bus() {
    return auth.server().vertx().eventBus();
  }

  @Override
  protected void openSession(String localpart, String password) throws Exception {
    auth.oauth().signIn(localpart, password);
  }
}
