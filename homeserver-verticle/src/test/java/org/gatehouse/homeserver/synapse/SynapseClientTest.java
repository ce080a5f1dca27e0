package org.gatehouse.homeserver.synapse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SynapseClientTest {
  @Test
  void aLongClientNameIsCutToWhatSynapseAcceptsWithoutSplittingACharacter() {
    assertThat(SynapseClient.deviceName("Element")).isEqualTo("Element");
    assertThat(SynapseClient.deviceName("x".repeat(150))).hasSize(100);
    String emojiAtTheCut = "x".repeat(99) + "\uD83D\uDE00" + "tail";
    assertThat(SynapseClient.deviceName(emojiAtTheCut)).isEqualTo("x".repeat(99));
  }
}
