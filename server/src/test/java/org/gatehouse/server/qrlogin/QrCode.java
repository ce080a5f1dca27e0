package org.gatehouse.server.qrlogin;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The binary payload of an MSC4388 sign-in QR code ("QR code format"): the prefix ({@code MATRIX}, or
 * {@code IO_ELEMENT_MSC4388} while the MSC is unstable), the type byte {@code 0x03}, the intent byte, the
 * generating device's 32-byte ephemeral Curve25519 key, then the rendezvous session ID and the homeserver base URL,
 * each as a length and that many bytes of UTF-8.
 *
 * <p>The length is two bytes, big-endian, in Gatehouse's contract ({@code ../shared/specs/rendezvous.md}, from the
 * MSC revision clients were built against); the MSC's current text has one byte, and refuses base URLs over 255
 * bytes. The server never sees the code, so both are supported ({@link Lengths}); the simulated devices use the
 * contract's.
 */
record QrCode(Prefix prefix, Intent intent, byte[] publicKey, String rendezvousId, String baseUrl, Lengths lengths) {
  static final byte TYPE = 0x03;

  /** Stable or unstable prefix, and the rendezvous API each goes with ("Unstable prefix"). */
  enum Prefix {
    STABLE("MATRIX", "/_matrix/client/v1/rendezvous"),
    UNSTABLE("IO_ELEMENT_MSC4388", "/_matrix/client/unstable/io.element.msc4388/rendezvous");

    private final byte[] bytes;
    private final String apiPath;

    Prefix(String text, String apiPath) {
      this.bytes = text.getBytes(StandardCharsets.US_ASCII);
      this.apiPath = apiPath;
    }

    String apiPath() {
      return apiPath;
    }
  }

  /** Who generated the code: which device the scanning device must be ("QR code format", intent byte). */
  enum Intent {
    /** {@code 0x00}: a new device wishing to log in; the scanner must be an existing device. */
    LOGIN(0x00),
    /** {@code 0x01}: an existing device offering to sign in a new device; the scanner must be new. */
    RECIPROCATE(0x01);

    private final int code;

    Intent(int code) {
      this.code = code;
    }

    static Intent of(int code) {
      for (Intent intent : values()) {
        if (intent.code == code) {
          return intent;
        }
      }
      throw new IllegalArgumentException("unknown QR intent 0x" + Integer.toHexString(code));
    }
  }

  /** How the two strings' lengths are written. */
  enum Lengths {
    /** u16 big-endian: {@code ../shared/specs/rendezvous.md}. */
    TWO_BYTES(2, 0xffff),
    /** One byte: the MSC's current text. */
    ONE_BYTE(1, 0xff);

    private final int size;
    private final int max;

    Lengths(int size, int max) {
      this.size = size;
      this.max = max;
    }
  }

  QrCode {
    if (publicKey.length != X25519.KEY_LENGTH) {
      throw new IllegalArgumentException("the ephemeral key is 32 bytes, not " + publicKey.length);
    }
    publicKey = publicKey.clone();
    checkLength(lengths, "rendezvous ID", rendezvousId);
    checkLength(lengths, "base URL", baseUrl);
  }

  /** A code in the contract's format. */
  QrCode(Prefix prefix, Intent intent, byte[] publicKey, String rendezvousId, String baseUrl) {
    this(prefix, intent, publicKey, rendezvousId, baseUrl, Lengths.TWO_BYTES);
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(prefix.bytes);
    out.write(TYPE);
    out.write(intent.code);
    out.writeBytes(publicKey);
    for (String field : new String[] {rendezvousId, baseUrl}) {
      byte[] utf8 = field.getBytes(StandardCharsets.UTF_8);
      if (lengths == Lengths.TWO_BYTES) {
        out.write(utf8.length >> 8);
      }
      out.write(utf8.length & 0xff);
      out.writeBytes(utf8);
    }
    return out.toByteArray();
  }

  /** Parses a scanned code in the contract's format; anything else is refused with the reason. */
  static QrCode decode(byte[] scanned) {
    return decode(scanned, Lengths.TWO_BYTES);
  }

  /** Parses a scanned code; anything not exactly in the format is refused with the reason. */
  static QrCode decode(byte[] scanned, Lengths lengths) {
    ByteBuffer in = ByteBuffer.wrap(scanned);
    Prefix prefix = Arrays.stream(Prefix.values())
        .filter(p -> scanned.length >= p.bytes.length
            && Arrays.equals(Arrays.copyOf(scanned, p.bytes.length), p.bytes))
        .findFirst().orElseThrow(() -> new IllegalArgumentException("not a Matrix sign-in QR code"));
    in.position(prefix.bytes.length);
    try {
      int type = in.get() & 0xff;
      if (type != TYPE) {
        throw new IllegalArgumentException("QR code type 0x" + Integer.toHexString(type) + " is not MSC4388's 0x03");
      }
      Intent intent = Intent.of(in.get() & 0xff);
      byte[] key = new byte[X25519.KEY_LENGTH];
      in.get(key);
      String id = string(in, lengths, "rendezvous ID");
      String baseUrl = string(in, lengths, "base URL");
      if (in.hasRemaining()) {
        throw new IllegalArgumentException(in.remaining() + " unexpected bytes after the base URL");
      }
      return new QrCode(prefix, intent, key, id, baseUrl, lengths);
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException("the QR code is truncated", e);
    }
  }

  /**
   * The base URL to build request URLs on. The code may carry it with or without a trailing {@code /} ("QR code
   * format"); only this copy is normalised, never the bytes that go into the secure channel's AAD.
   */
  String requestBase() {
    return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  private static String string(ByteBuffer in, Lengths lengths, String what) {
    byte[] utf8 = new byte[lengths == Lengths.TWO_BYTES ? in.getShort() & 0xffff : in.get() & 0xff];
    in.get(utf8);
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the " + what + " is not UTF-8", e);
    }
  }

  private static void checkLength(Lengths lengths, String what, String value) {
    int length = value.getBytes(StandardCharsets.UTF_8).length;
    if (length > lengths.max) {
      throw new IllegalArgumentException("the " + what + " is " + length + " bytes; a QR code holds at most "
          + lengths.max);
    }
  }
}
