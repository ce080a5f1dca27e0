package org.gatehouse.server.synapse;

import org.gatehouse.common.testing.OAuthTestClient;
import org.junit.jupiter.api.BeforeAll;

/**
 * The setup of a test where one person, signed in through the proxy on one device, does something behind Synapse:
 * the deployment of docs/synapse.md, the person's account, and the tokens of that first device.
 */
abstract class SignedInBehindSynapse extends BehindSynapse {
  /** The person's first device, signed in with code + PKCE on Gatehouse's pages through the proxy. */
  OAuthTestClient.Tokens signedIn;

  /** The person's localpart. */
  abstract String localpart();

  String userId() {
    return "@" + localpart() + ":" + SynapseDeployment.SERVER_NAME;
  }

  @BeforeAll
  void signIn() throws Exception {
    deployment.createUser(localpart(), PASSWORD);
    signedIn = oauth.signIn(localpart(), PASSWORD);
  }
}
