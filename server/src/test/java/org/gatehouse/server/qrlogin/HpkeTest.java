package org.gatehouse.server.qrlogin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;

/**
 * {@link Hpke} against RFC 9180 Appendix A.2.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305, base
 * mode. The values below are the RFC's; each check would fail on a slip anywhere in the key schedule.
 */
class HpkeTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] INFO = hex("4f6465206f6e2061204772656369616e2055726e");
  private static final byte[] SK_EM = hex("f4ec9b33b792c372c1d2c2063507b684ef925b8c75a42dbcbf57d63ccd381600");
  private static final byte[] PK_EM = hex("1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a");
  private static final byte[] SK_RM = hex("8057991eef8f1f1af18f4a9491d16a1ce333f695d4db8e38da75975c4478e0fb");
  private static final byte[] PK_RM = hex("4310ee97d88cc1f088a5576c77ab0cf5c3ac797f3d95139c6c84b5429c59662a");
  private static final byte[] KEY = hex("ad2744de8e17f4ebba575b3f5f5a8fa1f69c2a07f6e7500bc60ca6e3e3ec1c91");
  private static final byte[] BASE_NONCE = hex("5c4d98150661b848853b547f");
  private static final byte[] PT = hex("4265617574792069732074727574682c20747275746820626561757479");
  private static final byte[] AAD_0 = hex("436f756e742d30");
  private static final byte[] CT_0 = hex("1c5250d8034ec2b784ba2cfd69dbdb8af406cfe3ff938e131f0def8c8b60b4db"
      + "21993c62ce81883d2dd1b51a28");
  private static final byte[] AAD_1 = hex("436f756e742d31");
  private static final byte[] CT_1 = hex("6b53c051e4199c518de79594e1c4ab18b96f081549d45ce015be002090bb119e"
      + "85285337cc95ba5f59992dc98c");

  @Test
  void publicKeysFollowFromThePrivateKeys() {
    assertThat(X25519.fromPrivate(SK_EM).publicKey()).isEqualTo(PK_EM);
    assertThat(X25519.fromPrivate(SK_RM).publicKey()).isEqualTo(PK_RM);
  }

  @Test
  void senderAndRecipientDeriveTheVectorsKeyAndNonce() throws Exception {
    Hpke.Sender sender = Hpke.setupBaseS(PK_RM, INFO, X25519.fromPrivate(SK_EM));
    assertThat(sender.enc()).isEqualTo(PK_EM);
    assertThat(sender.context().key()).isEqualTo(KEY);
    assertThat(sender.context().baseNonce()).isEqualTo(BASE_NONCE);

    Hpke.Context recipient = Hpke.setupBaseR(sender.enc(), X25519.fromPrivate(SK_RM), INFO);
    assertThat(recipient.key()).isEqualTo(KEY);
    assertThat(recipient.baseNonce()).isEqualTo(BASE_NONCE);
  }

  @Test
  void sealProducesTheVectorsCiphertextsInSequenceAndOpenReversesThem() throws Exception {
    Hpke.Context sender = Hpke.setupBaseS(PK_RM, INFO, X25519.fromPrivate(SK_EM)).context();
    assertThat(sender.seal(AAD_0, PT)).isEqualTo(CT_0);
    assertThat(sender.seal(AAD_1, PT)).isEqualTo(CT_1);

    Hpke.Context recipient = Hpke.setupBaseR(PK_EM, X25519.fromPrivate(SK_RM), INFO);
    assertThat(recipient.open(AAD_0, CT_0)).isEqualTo(PT);
    assertThat(recipient.open(AAD_1, CT_1)).isEqualTo(PT);
  }

  @Test
  void exportGivesTheVectorsExportedValuesOnBothSides() throws Exception {
    Hpke.Context sender = Hpke.setupBaseS(PK_RM, INFO, X25519.fromPrivate(SK_EM)).context();
    Hpke.Context recipient = Hpke.setupBaseR(PK_EM, X25519.fromPrivate(SK_RM), INFO);
    for (Hpke.Context context : new Hpke.Context[] {sender, recipient}) {
      assertThat(context.export(new byte[0], 32))
          .isEqualTo(hex("4bbd6243b8bb54cec311fac9df81841b6fd61f56538a775e7c80a9f40160606e"));
      assertThat(context.export(hex("00"), 32))
          .isEqualTo(hex("8c1df14732580e5501b00f82b10a1647b40713191b7c1240ac80e2b68808ba69"));
      assertThat(context.export(hex("54657374436f6e74657874"), 32))
          .isEqualTo(hex("5acb09211139c43b3090489a9da433e8a30ee7188ba8b0a9a1ccf0c229283e53"));
    }
  }

  @Test
  void openRefusesATamperedCiphertextAWrongAadAndAnOutOfOrderMessageWithoutAdvancing() throws Exception {
    Hpke.Context recipient = Hpke.setupBaseR(PK_EM, X25519.fromPrivate(SK_RM), INFO);
    byte[] tampered = CT_0.clone();
    tampered[3] ^= 0x01;
    assertThatThrownBy(() -> recipient.open(AAD_0, tampered)).isInstanceOf(AEADBadTagException.class);
    assertThatThrownBy(() -> recipient.open(AAD_1, CT_0)).isInstanceOf(AEADBadTagException.class);
    // The second message first: its nonce is for sequence number 1.
    assertThatThrownBy(() -> recipient.open(AAD_1, CT_1)).isInstanceOf(AEADBadTagException.class);
    assertThat(recipient.seq()).isZero();
    assertThat(recipient.open(AAD_0, CT_0)).isEqualTo(PT);
  }

  @Test
  void aRecipientWithAnotherKeyCannotOpen() throws Exception {
    Hpke.Context stranger = Hpke.setupBaseR(PK_EM, X25519.generate(), INFO);
    assertThatThrownBy(() -> stranger.open(AAD_0, CT_0)).isInstanceOf(AEADBadTagException.class);
  }

  @Test
  void aSmallOrderPublicKeyIsRefused() {
    // u = 0 gives an all-zero shared secret, which RFC 9180 §7.1.4 requires DH to reject.
    assertThatThrownBy(() -> Hpke.setupBaseS(new byte[32], INFO))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void randomEphemeralKeysStillRoundTrip() throws Exception {
    X25519.KeyPair recipientKeys = X25519.generate();
    Hpke.Sender sender = Hpke.setupBaseS(recipientKeys.publicKey(), INFO);
    Hpke.Context recipient = Hpke.setupBaseR(sender.enc(), recipientKeys, INFO);
    assertThat(recipient.open(AAD_0, sender.context().seal(AAD_0, PT))).isEqualTo(PT);
    assertThat(sender.context().export(INFO, 7)).isEqualTo(recipient.export(INFO, 7));
  }

  private static byte[] hex(String s) {
    return HEX.parseHex(s);
  }
}
