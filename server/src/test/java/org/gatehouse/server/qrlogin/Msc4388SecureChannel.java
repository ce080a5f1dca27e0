package org.gatehouse.server.qrlogin;

import static org.gatehouse.server.qrlogin.Bytes.concat;
import static org.gatehouse.server.qrlogin.Bytes.utf8;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The secure channel of MSC4388 ("Secure channel"), as the proposal's text specifies it: HPKE base mode with
 * X25519, HKDF-SHA256 and ChaCha20-Poly1305 from the scanning device S to the generating device G, the response
 * encapsulation of RFC 9458 §4.4 for G to S, every message bound to the rendezvous session by its additional
 * authentication data, and a two-digit check code the user carries from S to G. Section names in comments are
 * the MSC's ("Establishment" steps 1-7, "Secure operations").
 *
 * <p>Reference implementation for tests: no published client implements this revision yet.
 */
final class Msc4388SecureChannel {
  static final String INFO = "MATRIX_QR_CODE_LOGIN";
  static final String LOGIN_INITIATE = "MATRIX_QR_CODE_LOGIN_INITIATE";
  static final String LOGIN_OK = "MATRIX_QR_CODE_LOGIN_OK";
  static final String RESPONSE_EXPORT_LABEL = "MATRIX_QR_CODE_LOGIN response";
  static final String CHECK_CODE_LABEL = "MATRIX_QR_CODE_LOGIN_CHECKCODE";
  private static final int RESPONSE_SECRET_LENGTH = 32;
  private static final int RESPONSE_NONCE_LENGTH = 32;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder UNPADDED = Base64.getEncoder().withoutPadding();

  private Msc4388SecureChannel() {
  }

  /**
   * What binds every message to one rendezvous session ("4. Device S sends the initial payload"): the homeserver
   * base URL exactly as encoded in the QR code (never normalised) and the rendezvous session ID; the sequence token
   * changes per message.
   */
  record Binding(String baseUrl, String rendezvousId) {
    static Binding of(QrCode code) {
      return new Binding(code.baseUrl(), code.rendezvousId());
    }

    /**
     * {@code Aad := EncodeStringAsBytes8(BaseUrl) || EncodeStringAsBytes8(RendezvousId)
     * || EncodeStringAsBytes8(SequenceToken)}.
     */
    byte[] aad(String sequenceToken) {
      return concat(encodeStringAsBytes8(baseUrl), encodeStringAsBytes8(rendezvousId),
          encodeStringAsBytes8(sequenceToken));
    }
  }

  /** {@code EncodeStringAsBytes8}: one length byte, then the UTF-8 bytes; longer than 255 bytes is not defined. */
  static byte[] encodeStringAsBytes8(String input) {
    byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > 255) {
      throw new IllegalArgumentException("EncodeStringAsBytes8 takes at most 255 bytes, got " + bytes.length);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 1);
    out.write(bytes.length);
    out.writeBytes(bytes);
    return out.toByteArray();
  }

  /** Device G, the device that generates the QR code (steps 1, 3, 5 and 7). */
  static final class Generator {
    private X25519.KeyPair keys;
    private final byte[] publicKey;

    /** Step 1: a fresh ephemeral key pair (Gp, Gs). */
    Generator() {
      this(X25519.generate());
    }

    private Generator(X25519.KeyPair keys) {
      this.keys = keys;
      this.publicKey = keys.publicKey().clone();
    }

    /** Gp, for the QR code (step 3). */
    byte[] publicKey() {
      return publicKey.clone();
    }

    /**
     * Step 5, "Device G confirms": unpacks Sp from {@code LoginInitiateMessage}, sets up Context_DeviceG_Receive,
     * opens the message with the sequence token of the session's creation ({@code POST}) and checks it says
     * {@code MATRIX_QR_CODE_LOGIN_INITIATE}; then derives Context_DeviceG_Send and seals {@code LoginOkMessage}
     * with the sequence token of the {@code GET} that returned LoginInitiateMessage. Gs is discarded: a generator
     * confirms once.
     */
    Confirmed confirm(Binding binding, String loginInitiateMessage, String postSequenceToken,
                      String getSequenceToken) {
      if (keys == null) {
        throw new IllegalStateException("Gs was discarded: a generator confirms one LoginInitiateMessage");
      }
      X25519.KeyPair gs = keys;
      keys = null;
      byte[] packed = decode(loginInitiateMessage, "LoginInitiateMessage");
      if (packed.length < X25519.KEY_LENGTH + Hpke.TAG_LENGTH) {
        throw new SecureChannelException("LoginInitiateMessage is too short");
      }
      byte[] sp = Arrays.copyOfRange(packed, 0, X25519.KEY_LENGTH);
      byte[] taggedCiphertext = Arrays.copyOfRange(packed, X25519.KEY_LENGTH, packed.length);
      try {
        Hpke.Context receive = Hpke.setupBaseR(sp, gs, utf8(INFO));
        byte[] plaintext = receive.open(binding.aad(postSequenceToken), taggedCiphertext);
        if (!Arrays.equals(plaintext, utf8(LOGIN_INITIATE))) {
          throw new SecureChannelException("LoginInitiateMessage does not say " + LOGIN_INITIATE);
        }
        byte[] responseNonce = new byte[RESPONSE_NONCE_LENGTH];
        RANDOM.nextBytes(responseNonce);
        Hpke.Context send = responseContext(receive, sp, responseNonce, Hpke.Context.Role.SENDER);
        byte[] sealed = send.seal(binding.aad(getSequenceToken), utf8(LOGIN_OK));
        EstablishedChannel channel = new EstablishedChannel(Side.GENERATING, binding, send, receive,
            checkCode(receive, publicKey, sp));
        return new Confirmed(channel, UNPADDED.encodeToString(concat(responseNonce, sealed)));
      } catch (GeneralSecurityException e) {
        throw new SecureChannelException("LoginInitiateMessage did not decrypt: wrong key, session or message", e);
      }
    }
  }

  /** Step 5's outcome on device G: the channel (awaiting the user's check code) and the message to send. */
  record Confirmed(EstablishedChannel channel, String loginOkMessage) {
  }

  /** Device S, the device that scanned the QR code (steps 4 and 6). */
  static final class Scanner {
    private final byte[] gp;
    private final Binding binding;
    private Hpke.Context send;
    private byte[] sp;

    Scanner(QrCode scanned) {
      this(scanned.publicKey(), Binding.of(scanned));
    }

    Scanner(byte[] gp, Binding binding) {
      this.gp = gp.clone();
      this.binding = binding;
    }

    /**
     * Step 4: ECDH with Gp through HPKE's SetupBaseS (a fresh (Sp, Ss), Ss gone once the context exists), then
     * {@code LoginInitiateMessage := UnpaddedBase64(Sp || Seal("MATRIX_QR_CODE_LOGIN_INITIATE", Aad))} with the
     * sequence token of the {@code GET} that found the session.
     */
    String loginInitiateMessage(String getSequenceToken) {
      if (send != null) {
        throw new IllegalStateException("LoginInitiateMessage is sent once");
      }
      try {
        Hpke.Sender sender = Hpke.setupBaseS(gp, utf8(INFO));
        send = sender.context();
        sp = sender.enc();
        return UNPADDED.encodeToString(concat(sp, send.seal(binding.aad(getSequenceToken), utf8(LOGIN_INITIATE))));
      } catch (GeneralSecurityException e) {
        throw new SecureChannelException("the QR code's key is not a usable X25519 key", e);
      }
    }

    /**
     * Step 6, "Verification by Device S": unpacks ResponseNonce, derives Context_DeviceS_Receive from
     * Context_DeviceS_Send's export, opens {@code LoginOkMessage} with the sequence token of S's own {@code PUT}
     * and checks it says {@code MATRIX_QR_CODE_LOGIN_OK}. Success means G holds the same secret: the channel is
     * secure from S's side, and S shows the check code.
     */
    EstablishedChannel verify(String loginOkMessage, String putSequenceToken) {
      if (send == null) {
        throw new IllegalStateException("send LoginInitiateMessage first");
      }
      byte[] packed = decode(loginOkMessage, "LoginOkMessage");
      if (packed.length < RESPONSE_NONCE_LENGTH + Hpke.TAG_LENGTH) {
        throw new SecureChannelException("LoginOkMessage is too short");
      }
      byte[] responseNonce = Arrays.copyOfRange(packed, 0, RESPONSE_NONCE_LENGTH);
      byte[] taggedCiphertext = Arrays.copyOfRange(packed, RESPONSE_NONCE_LENGTH, packed.length);
      Hpke.Context receive = responseContext(send, sp, responseNonce, Hpke.Context.Role.RECIPIENT);
      byte[] plaintext;
      try {
        plaintext = receive.open(binding.aad(putSequenceToken), taggedCiphertext);
      } catch (GeneralSecurityException e) {
        throw new SecureChannelException("LoginOkMessage did not decrypt: not from the device that showed the QR", e);
      }
      if (!Arrays.equals(plaintext, utf8(LOGIN_OK))) {
        throw new SecureChannelException("LoginOkMessage does not say " + LOGIN_OK);
      }
      EstablishedChannel channel = new EstablishedChannel(Side.SCANNING, binding, send, receive,
          checkCode(send, gp, sp));
      channel.trusted = true;
      return channel;
    }
  }

  enum Side { GENERATING, SCANNING }

  /**
   * An established channel ("Secure operations"): G seals with Context_DeviceG_Send and opens with
   * Context_DeviceG_Receive; S seals with Context_DeviceS_Send and opens with Context_DeviceS_Receive. (The text
   * names Context_DeviceG_Receive for S's receiving too, a slip: only Context_DeviceS_Receive holds the response
   * key on S.) A message is sealed with the sequence token of the sender's last {@code GET} — the token its
   * {@code PUT} then carries — and opened with the token of the receiver's own last {@code PUT}, which is that same
   * token when nobody else wrote in between.
   */
  static final class EstablishedChannel {
    private final Side side;
    private final Binding binding;
    private final Hpke.Context send;
    private final Hpke.Context receive;
    private final String checkCode;
    private boolean trusted;

    private EstablishedChannel(Side side, Binding binding, Hpke.Context send, Hpke.Context receive,
                               String checkCode) {
      this.side = side;
      this.binding = binding;
      this.send = send;
      this.receive = receive;
      this.checkCode = checkCode;
    }

    /** The two digits S shows (step 6) and G compares with what the user types (step 7). */
    String checkCode() {
      return checkCode;
    }

    /**
     * Step 7 on G: the user typed the code S shows. Until it matches, G neither sends nor accepts anything on
     * the channel: base-mode HPKE does not authenticate S, the user's check does.
     */
    void confirmCheckCode(String typedByUser) {
      if (side != Side.GENERATING) {
        throw new IllegalStateException("only the generating device asks the user for the check code");
      }
      if (!checkCode.equals(typedByUser)) {
        throw new SecureChannelException("the check code typed does not match: the channel is not secure");
      }
      trusted = true;
    }

    boolean trusted() {
      return trusted;
    }

    /** SecureSend's encryption: {@code UnpaddedBase64(Seal(plaintext, Aad))}. */
    String seal(String plaintext, String lastReadSequenceToken) {
      requireTrusted();
      try {
        // The text fixes the encoding of the two handshake messages only; later payloads use the same unpadded
        // base64, without a prefix.
        return UNPADDED.encodeToString(send.seal(binding.aad(lastReadSequenceToken), utf8(plaintext)));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("ChaCha20-Poly1305 failed to seal", e);
      }
    }

    /** SecureReceive's decryption; fails unless the payload is the peer's next message for this session. */
    String open(String payload, String lastWrittenSequenceToken) {
      requireTrusted();
      byte[] ciphertext = decode(payload, "payload");
      try {
        return new String(receive.open(binding.aad(lastWrittenSequenceToken), ciphertext), StandardCharsets.UTF_8);
      } catch (GeneralSecurityException e) {
        throw new SecureChannelException("a payload did not decrypt: tampered, replayed, reordered or foreign", e);
      }
    }

    private void requireTrusted() {
      if (!trusted) {
        throw new IllegalStateException("step 7 first: the user has not confirmed the check code on this device");
      }
    }
  }

  /**
   * The response context of step 5 (G's sending side) and step 6 (S's receiving side), after RFC 9458 §4.4:
   * {@code Secret := Export("MATRIX_QR_CODE_LOGIN response", 32)}, {@code Salt := Sp || ResponseNonce},
   * {@code AeadKey := HKDF_SHA256(Secret, "key", salt=Salt, size=32)},
   * {@code AeadNonce := HKDF_SHA256(Secret, "nonce", salt=Salt, size=12)}, sequence number 0, and no usable exporter.
   */
  private static Hpke.Context responseContext(Hpke.Context primary, byte[] sp, byte[] responseNonce,
                                              Hpke.Context.Role role) {
    byte[] secret = primary.export(utf8(RESPONSE_EXPORT_LABEL), RESPONSE_SECRET_LENGTH);
    byte[] salt = concat(sp, responseNonce);
    byte[] aeadKey = Hkdf.derive(secret, utf8("key"), salt, Hpke.KEY_LENGTH);
    byte[] aeadNonce = Hkdf.derive(secret, utf8("nonce"), salt, Hpke.NONCE_LENGTH);
    return Hpke.Context.withoutExporter(role, aeadKey, aeadNonce);
  }

  /**
   * {@code CheckBytes := Export("MATRIX_QR_CODE_LOGIN_CHECKCODE" || Gp || Sp, size=2)} from the primary context
   * (Context_DeviceS_Send on S, Context_DeviceG_Receive on G, which share the exporter secret);
   * {@code CheckCode := ((CheckBytes[0] % 9) + 1) || (CheckBytes[1] % 10)}, bytes read unsigned, so the code is
   * in [10, 99] and never starts with 0.
   */
  static String checkCode(Hpke.Context primary, byte[] gp, byte[] sp) {
    byte[] checkBytes = primary.export(concat(utf8(CHECK_CODE_LABEL), gp, sp), 2);
    return Integer.toString((checkBytes[0] & 0xff) % 9 + 1) + (checkBytes[1] & 0xff) % 10;
  }

  private static byte[] decode(String unpaddedBase64, String what) {
    try {
      return Base64.getDecoder().decode(unpaddedBase64);
    } catch (IllegalArgumentException e) {
      throw new SecureChannelException(what + " is not base64", e);
    }
  }
}
