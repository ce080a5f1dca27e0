package org.gatehouse.server.synapse;

import io.vertx.core.Vertx;
import org.gatehouse.common.testing.OAuthTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The setup of a test where one person, signed in through the proxy on one device, does something behind Synapse:
 * the deployment of docs/synapse.md, the person's account, and the tokens of that first device.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SignedInBehindSynapse {
  static final String PASSWORD = "correct horse battery staple";

  SynapseDeployment deployment;
  Vertx vertx;
  /** The person's first device, signed in with code + PKCE on Gatehouse's pages through the proxy. */
  OAuthTestClient.Tokens signedIn;

  /** The person's localpart. */
  abstract String localpart();

  String userId() {
    return "@" + localpart() + ":" + SynapseDeployment.SERVER_NAME;
  }

  @BeforeAll
  void startDeploymentAndSignIn() throws Exception {
    deployment = SynapseDeployment.start();
    deployment.createUser(localpart(), PASSWORD);
    vertx = Vertx.vertx();
    signedIn = new OAuthTestClient(vertx, deployment.proxyUrl()).signIn(localpart(), PASSWORD);
  }

  @AfterAll
  void stopDeployment() {
    if (vertx != null) {
      vertx.close().await();
    }
    if (deployment != null) {
      deployment.close();
    }
  }
}
