package org.gatehouse.auth;

import java.util.UUID;
import org.gatehouse.common.testing.OAuthTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The setup of the test classes that share one auth module per class ({@link AuthTestServer}: a fresh database, the
 * default test configuration), started before the class's first test and closed after its last, with a client
 * that signs in through the pages. Test classes run one after another, so the fields are the running class's.
 */
public abstract class SharedAuthServerTest {
  protected static final String PASSWORD = "correct horse battery";
  protected static AuthTestServer auth;
  protected static OAuthTestClient oauth;

  @BeforeAll
  static void startAuth() throws Exception {
    auth = AuthTestServer.start();
    oauth = auth.oauth();
  }

  @AfterAll
  static void stopAuth() {
    auth.close();
  }

  /** A new plain account whose password is {@link #PASSWORD}; its localpart. */
  protected static String newUser() throws Exception {
    String user = "user-" + UUID.randomUUID().toString().substring(0, 8);
    auth.createUser(user, PASSWORD, false);
    return user;
  }

  /** The status {@code whoami} answers for {@code accessToken}. */
  protected static int whoami(String accessToken) throws Exception {
    return oauth.get("/_matrix/client/v3/account/whoami", accessToken).statusCode();
  }
}
