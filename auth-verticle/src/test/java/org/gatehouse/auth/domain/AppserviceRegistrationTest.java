package org.gatehouse.auth.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Namespaces are read the way Synapse reads the same registration file (Python's re.match). */
class AppserviceRegistrationTest {
  private static AppserviceRegistration bridge(String regex) {
    return new AppserviceRegistration("irc", "http://127.0.0.1:1", "as", "hs", "ircbot",
        List.of(new AppserviceRegistration.Namespace(regex, true)), false, true, "irc.yaml");
  }

  @Test
  void bridgeWithAPrefixRegexCoversTheUsersSynapseGivesIt() {
    AppserviceRegistration irc = bridge("@irc_");
    assertThat(irc.covers("@irc_alice:test.local", "@ircbot:test.local")).isTrue();
    assertThat(irc.claimsExclusively("@irc_alice:test.local")).isTrue();
    assertThat(irc.covers("@alice:test.local", "@ircbot:test.local")).isFalse();
    assertThat(irc.covers("@x_irc_alice:test.local", "@ircbot:test.local")).as("anchored at the start").isFalse();
  }

  @Test
  void regexesWithoutAnEndAnchorAreOpenEndedAsInSynapse() {
    AppserviceRegistration irc = bridge("@irc_.*:test\\.local");
    assertThat(irc.covers("@irc_bob:test.local", "@ircbot:test.local")).isTrue();
    // re.match("@irc_.*:test\\.local", "@irc_bob:test.localhost") matches in Python too; "$" closes it.
    assertThat(irc.covers("@irc_bob:test.localhost", "@ircbot:test.local")).isTrue();
    assertThat(bridge("@irc_.*:test\\.local$").covers("@irc_bob:test.localhost", "@ircbot:test.local")).isFalse();
  }
}
