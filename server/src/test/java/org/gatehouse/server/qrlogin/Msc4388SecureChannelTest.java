package org.gatehouse.server.qrlogin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.gatehouse.server.qrlogin.Msc4388SecureChannel.Binding;
import org.gatehouse.server.qrlogin.Msc4388SecureChannel.Confirmed;
import org.gatehouse.server.qrlogin.Msc4388SecureChannel.EstablishedChannel;
import org.gatehouse.server.qrlogin.Msc4388SecureChannel.Generator;
import org.gatehouse.server.qrlogin.Msc4388SecureChannel.Scanner;
import org.junit.jupiter.api.Test;

/**
 * The secure channel between two devices in memory, with the sequence tokens a rendezvous session would hand out
 * ("1" at creation, then one per write, as the MSC's sequence diagram numbers them).
 */
class Msc4388SecureChannelTest {
  private static final Binding BINDING = new Binding("https://matrix.example.org/", "abc-def");

  /** Both ends of an established channel: G's still waiting for the user's check code. */
  private record Pair(EstablishedChannel g, EstablishedChannel s) {
  }

  private static Pair handshake() {
    Generator generator = new Generator();
    Scanner scanner = new Scanner(generator.publicKey(), BINDING);
    // S read the session at token 1 and writes LoginInitiateMessage over it: token 2.
    String loginInitiate = scanner.loginInitiateMessage("1");
    // G created the session at 1 and read LoginInitiateMessage at 2; it writes LoginOkMessage: token 3.
    Confirmed confirmed = generator.confirm(BINDING, loginInitiate, "1", "2");
    // S opens with the token of its own write.
    EstablishedChannel s = scanner.verify(confirmed.loginOkMessage(), "2");
    return new Pair(confirmed.channel(), s);
  }

  @Test
  void bothDevicesDeriveTheSameTwoDigitCheckCode() {
    Pair pair = handshake();
    assertThat(pair.s().checkCode()).matches("[1-9][0-9]").isEqualTo(pair.g().checkCode());
    assertThat(pair.s().trusted()).isTrue();
    assertThat(pair.g().trusted()).isFalse();
  }

  @Test
  void messagesFlowBothWaysOnceTheUserConfirmedTheCheckCode() {
    Pair pair = handshake();
    pair.g().confirmCheckCode(pair.s().checkCode());
    // S read LoginOkMessage at 3 and writes at 4; G wrote at 3, so it opens with 3.
    String fromS = pair.s().seal("{\"type\":\"m.login.protocols\"}", "3");
    assertThat(pair.g().open(fromS, "3")).isEqualTo("{\"type\":\"m.login.protocols\"}");
    String fromG = pair.g().seal("{\"type\":\"m.login.protocol\"}", "4");
    assertThat(pair.s().open(fromG, "4")).isEqualTo("{\"type\":\"m.login.protocol\"}");
    String again = pair.s().seal("{\"type\":\"m.login.protocol_accepted\"}", "5");
    assertThat(pair.g().open(again, "5")).isEqualTo("{\"type\":\"m.login.protocol_accepted\"}");
  }

  @Test
  void theGeneratingDeviceWaitsForTheRightCheckCode() {
    Pair pair = handshake();
    String fromS = pair.s().seal("hello", "3");
    assertThatThrownBy(() -> pair.g().open(fromS, "3")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> pair.g().seal("hello", "3")).isInstanceOf(IllegalStateException.class);
    String wrong = pair.g().checkCode().equals("42") ? "43" : "42";
    assertThatThrownBy(() -> pair.g().confirmCheckCode(wrong)).isInstanceOf(SecureChannelException.class);
    assertThat(pair.g().trusted()).isFalse();
    pair.g().confirmCheckCode(pair.s().checkCode());
    assertThat(pair.g().open(fromS, "3")).isEqualTo("hello");
  }

  @Test
  void aTamperedReplayedOrMisboundPayloadIsRefused() {
    Pair pair = handshake();
    pair.g().confirmCheckCode(pair.s().checkCode());
    String fromS = pair.s().seal("secret", "3");
    byte[] raw = Base64.getDecoder().decode(fromS);
    raw[0] ^= 0x01;
    String tampered = Base64.getEncoder().withoutPadding().encodeToString(raw);
    assertThatThrownBy(() -> pair.g().open(tampered, "3")).isInstanceOf(SecureChannelException.class);
    // The same ciphertext under another revision of the session (a third party wrote in between).
    assertThatThrownBy(() -> pair.g().open(fromS, "4")).isInstanceOf(SecureChannelException.class);
    assertThat(pair.g().open(fromS, "3")).isEqualTo("secret");
    // Replayed: the receiving context has moved on to the next sequence number.
    assertThatThrownBy(() -> pair.g().open(fromS, "3")).isInstanceOf(SecureChannelException.class);
  }

  @Test
  void loginInitiateForAnotherSessionOrKeyIsRefused() {
    Generator generator = new Generator();
    String initiate = new Scanner(generator.publicKey(), BINDING).loginInitiateMessage("1");
    assertThatThrownBy(() -> new Generator().confirm(BINDING, initiate, "1", "2"))
        .isInstanceOf(SecureChannelException.class);
    assertThatThrownBy(() -> generator.confirm(new Binding("https://matrix.example.org", "abc-def"), initiate, "1",
        "2")).isInstanceOf(SecureChannelException.class);
    Generator another = new Generator();
    String forAnother = new Scanner(another.publicKey(), BINDING).loginInitiateMessage("1");
    assertThatThrownBy(() -> another.confirm(new Binding(BINDING.baseUrl(), "other"), forAnother, "1", "2"))
        .isInstanceOf(SecureChannelException.class);
    Generator third = new Generator();
    String forThird = new Scanner(third.publicKey(), BINDING).loginInitiateMessage("1");
    assertThatThrownBy(() -> third.confirm(BINDING, forThird, "0", "2")).isInstanceOf(SecureChannelException.class);
  }

  @Test
  void aShoulderSurferWhoReplacesLoginInitiateFoolsGButNotS() {
    // Specter saw the QR code (so knows Gp) and swaps S's LoginInitiateMessage for its own (threat analysis).
    Generator generator = new Generator();
    Scanner honest = new Scanner(generator.publicKey(), BINDING);
    honest.loginInitiateMessage("1");
    Scanner specter = new Scanner(generator.publicKey(), BINDING);
    Confirmed confirmed = generator.confirm(BINDING, specter.loginInitiateMessage("1"), "1", "2");
    // G cannot tell (base mode does not authenticate S), but S cannot open G's answer, so S never shows a code...
    assertThatThrownBy(() -> honest.verify(confirmed.loginOkMessage(), "2")).isInstanceOf(SecureChannelException.class);
    // ...and the code Specter could show is for Specter's channel, which the user never confirms on G unless they
    // read it off Specter's screen.
    EstablishedChannel specterSide = specter.verify(confirmed.loginOkMessage(), "2");
    assertThat(specterSide.checkCode()).isEqualTo(confirmed.channel().checkCode());
  }

  @Test
  void gDiscardsItsKeyAfterOneConfirmation() {
    Generator generator = new Generator();
    String initiate = new Scanner(generator.publicKey(), BINDING).loginInitiateMessage("1");
    generator.confirm(BINDING, initiate, "1", "2");
    assertThatThrownBy(() -> generator.confirm(BINDING, initiate, "1", "2")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void checkCodesStayInTenToNinetyNineAndVary() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      Pair pair = handshake();
      assertThat(pair.g().checkCode()).matches("[1-9][0-9]").isEqualTo(pair.s().checkCode());
      seen.add(pair.g().checkCode());
    }
    assertThat(seen).hasSizeGreaterThan(20);
  }

  @Test
  void encodeStringAsBytes8MatchesTheTextsExample() {
    assertThat(Msc4388SecureChannel.encodeStringAsBytes8("abcdef"))
        .containsExactly(0x06, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66);
    assertThatThrownBy(() -> Msc4388SecureChannel.encodeStringAsBytes8("x".repeat(256)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
