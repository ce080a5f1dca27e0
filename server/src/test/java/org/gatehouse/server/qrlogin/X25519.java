package org.gatehouse.server.qrlogin;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * X25519 (RFC 7748) on the JDK's own provider, with keys in the 32-byte little-endian wire form that HPKE
 * (RFC 9180 §7.1.1, SerializePublicKey) and the MSC4388 QR code use; the JDK itself speaks BigIntegers.
 */
final class X25519 {
  static final int KEY_LENGTH = 32;
  private static final byte[] BASE_POINT = littleEndian(BigInteger.valueOf(9));

  /** A key pair: the JDK private key and the public key as its 32 wire bytes. */
  record KeyPair(PrivateKey privateKey, byte[] publicKey) {
  }

  private X25519() {
  }

  static KeyPair generate() {
    try {
      java.security.KeyPair pair = KeyPairGenerator.getInstance("X25519").generateKeyPair();
      return new KeyPair(pair.getPrivate(), littleEndian(((XECPublicKey) pair.getPublic()).getU()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no X25519", e);
    }
  }

  /**
   * The key pair of a given 32-byte private scalar (test vectors inject their ephemeral keys this way). The JDK
   * cannot derive a public key from a private one, but X25519(k, 9) is exactly that (RFC 7748 §6.1).
   */
  static KeyPair fromPrivate(byte[] scalar) {
    if (scalar.length != KEY_LENGTH) {
      throw new IllegalArgumentException("an X25519 private key is 32 bytes, not " + scalar.length);
    }
    try {
      PrivateKey privateKey = KeyFactory.getInstance("X25519")
          .generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar.clone()));
      return new KeyPair(privateKey, dh(privateKey, BASE_POINT));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("not a usable X25519 private key", e);
    }
  }

  /**
   * DH(sk, pk) of RFC 9180 §4.1 for X25519. The JDK refuses an all-zero result (a small-order public key), which
   * is the check RFC 9180 §7.1.4 requires, so a bad key surfaces as an {@link java.security.InvalidKeyException}.
   */
  static byte[] dh(PrivateKey privateKey, byte[] publicKey) throws GeneralSecurityException {
    KeyAgreement agreement = KeyAgreement.getInstance("X25519");
    agreement.init(privateKey);
    agreement.doPhase(decodePublic(publicKey), true);
    return agreement.generateSecret();
  }

  /** DeserializePublicKey: little-endian u-coordinate, the top bit masked as RFC 7748 §5 says. */
  static PublicKey decodePublic(byte[] publicKey) throws GeneralSecurityException {
    if (publicKey.length != KEY_LENGTH) {
      throw new java.security.InvalidKeyException("an X25519 public key is 32 bytes, not " + publicKey.length);
    }
    byte[] bigEndian = new byte[KEY_LENGTH];
    for (int i = 0; i < KEY_LENGTH; i++) {
      bigEndian[i] = publicKey[KEY_LENGTH - 1 - i];
    }
    bigEndian[0] &= 0x7f;
    return KeyFactory.getInstance("X25519")
        .generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, bigEndian)));
  }

  private static byte[] littleEndian(BigInteger u) {
    byte[] bigEndian = u.toByteArray();
    byte[] out = new byte[KEY_LENGTH];
    // toByteArray may carry a leading sign byte or be shorter than 32 bytes.
    for (int i = 0; i < Math.min(KEY_LENGTH, bigEndian.length); i++) {
      out[i] = bigEndian[bigEndian.length - 1 - i];
    }
    return out;
  }
}
