package org.gatehouse.server.qrlogin;

import static org.gatehouse.server.qrlogin.Bytes.ascii;
import static org.gatehouse.server.qrlogin.Bytes.concat;
import static org.gatehouse.server.qrlogin.Bytes.i2osp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * HPKE (RFC 9180) in base mode for the one cipher suite MSC4388 uses: DHKEM(X25519, HKDF-SHA256) (KEM 0x0020),
 * HKDF-SHA256 (KDF 0x0001) and ChaCha20-Poly1305 (AEAD 0x0003), on the JDK alone. Section numbers are RFC 9180's.
 */
final class Hpke {
  static final int KEM_ID = 0x0020;
  static final int KDF_ID = 0x0001;
  static final int AEAD_ID = 0x0003;
  /** Nk, Nn, Nh and the DHKEM's Nsecret for this suite (§7.1, §7.2, §7.3). */
  static final int KEY_LENGTH = 32;
  static final int NONCE_LENGTH = 12;
  static final int TAG_LENGTH = 16;
  private static final int SECRET_LENGTH = 32;
  private static final byte MODE_BASE = 0x00;
  private static final byte[] VERSION_LABEL = ascii("HPKE-v1");
  private static final byte[] KEM_SUITE_ID = concat(ascii("KEM"), i2osp(KEM_ID, 2));
  private static final byte[] HPKE_SUITE_ID = concat(ascii("HPKE"), i2osp(KEM_ID, 2), i2osp(KDF_ID, 2),
      i2osp(AEAD_ID, 2));

  /** What SetupBaseS returns: the encapsulated key to send, and the sender's context. */
  record Sender(byte[] enc, Context context) {
  }

  private Hpke() {
  }

  /** SetupBaseS(pkR, info) with a fresh ephemeral key (§5.1.1). */
  static Sender setupBaseS(byte[] pkR, byte[] info) throws GeneralSecurityException {
    return setupBaseS(pkR, info, X25519.generate());
  }

  /** SetupBaseS with the ephemeral key given: only the RFC test vectors need this. */
  static Sender setupBaseS(byte[] pkR, byte[] info, X25519.KeyPair ephemeral) throws GeneralSecurityException {
    // Encap (§4.1): the encapsulated key is the ephemeral public key itself.
    byte[] dh = X25519.dh(ephemeral.privateKey(), pkR);
    byte[] enc = ephemeral.publicKey().clone();
    byte[] sharedSecret = extractAndExpand(dh, concat(enc, pkR));
    return new Sender(enc, keySchedule(Context.Role.SENDER, sharedSecret, info));
  }

  /** SetupBaseR(enc, skR, info) (§5.1.1). */
  static Context setupBaseR(byte[] enc, X25519.KeyPair recipient, byte[] info) throws GeneralSecurityException {
    // Decap (§4.1).
    byte[] dh = X25519.dh(recipient.privateKey(), enc);
    byte[] sharedSecret = extractAndExpand(dh, concat(enc, recipient.publicKey()));
    return keySchedule(Context.Role.RECIPIENT, sharedSecret, info);
  }

  /** ExtractAndExpand of the DHKEM (§4.1), labelled with the KEM's suite id. */
  private static byte[] extractAndExpand(byte[] dh, byte[] kemContext) {
    byte[] eaePrk = labeledExtract(KEM_SUITE_ID, new byte[0], "eae_prk", dh);
    return labeledExpand(KEM_SUITE_ID, eaePrk, "shared_secret", kemContext, SECRET_LENGTH);
  }

  /** KeySchedule<ROLE>() for mode_base, so psk and psk_id are empty (§5.1). */
  private static Context keySchedule(Context.Role role, byte[] sharedSecret, byte[] info) {
    byte[] pskIdHash = labeledExtract(HPKE_SUITE_ID, new byte[0], "psk_id_hash", new byte[0]);
    byte[] infoHash = labeledExtract(HPKE_SUITE_ID, new byte[0], "info_hash", info);
    byte[] keyScheduleContext = concat(new byte[] {MODE_BASE}, pskIdHash, infoHash);
    byte[] secret = labeledExtract(HPKE_SUITE_ID, sharedSecret, "secret", new byte[0]);
    return new Context(role,
        labeledExpand(HPKE_SUITE_ID, secret, "key", keyScheduleContext, KEY_LENGTH),
        labeledExpand(HPKE_SUITE_ID, secret, "base_nonce", keyScheduleContext, NONCE_LENGTH),
        labeledExpand(HPKE_SUITE_ID, secret, "exp", keyScheduleContext, Hkdf.HASH_LENGTH));
  }

  /** LabeledExtract(salt, label, ikm) (§4). */
  private static byte[] labeledExtract(byte[] suiteId, byte[] salt, String label, byte[] ikm) {
    return Hkdf.extract(salt, concat(VERSION_LABEL, suiteId, ascii(label), ikm));
  }

  /** LabeledExpand(prk, label, info, L) (§4). */
  private static byte[] labeledExpand(byte[] suiteId, byte[] prk, String label, byte[] info, int length) {
    return Hkdf.expand(prk, concat(i2osp(length, 2), VERSION_LABEL, suiteId, ascii(label), info), length);
  }

  /**
   * An encryption context (§5.2, §5.3): a sender only seals, a recipient only opens, each with the sequence
   * number of its own messages. Not thread-safe; a device uses its contexts from one flow.
   */
  static final class Context {
    enum Role { SENDER, RECIPIENT }

    private final Role role;
    private final byte[] key;
    private final byte[] baseNonce;
    private final byte[] exporterSecret;
    private long seq;

    private Context(Role role, byte[] key, byte[] baseNonce, byte[] exporterSecret) {
      this.role = role;
      this.key = key;
      this.baseNonce = baseNonce;
      this.exporterSecret = exporterSecret;
    }

    /**
     * A context built from a key and base nonce derived outside the key schedule (the response encapsulation of
     * RFC 9458 §4.4 that MSC4388 uses for the other direction), starting at sequence number 0. It has no exporter:
     * MSC4388 initialises it with a dummy exporter secret and forbids using it, so here export simply fails.
     */
    static Context withoutExporter(Role role, byte[] key, byte[] baseNonce) {
      if (key.length != KEY_LENGTH || baseNonce.length != NONCE_LENGTH) {
        throw new IllegalArgumentException("ChaCha20-Poly1305 needs a 32-byte key and a 12-byte nonce");
      }
      return new Context(role, key.clone(), baseNonce.clone(), null);
    }

    /** ContextS.Seal(aad, pt) (§5.2). */
    byte[] seal(byte[] aad, byte[] plaintext) throws GeneralSecurityException {
      if (role != Role.SENDER) {
        throw new IllegalStateException("a recipient context cannot seal");
      }
      byte[] ciphertext = aead(Cipher.ENCRYPT_MODE, aad, plaintext);
      incrementSeq();
      return ciphertext;
    }

    /** ContextR.Open(aad, ct) (§5.2); a failure leaves the sequence number where it was. */
    byte[] open(byte[] aad, byte[] ciphertext) throws GeneralSecurityException {
      if (role != Role.RECIPIENT) {
        throw new IllegalStateException("a sender context cannot open");
      }
      byte[] plaintext = aead(Cipher.DECRYPT_MODE, aad, ciphertext);
      incrementSeq();
      return plaintext;
    }

    /** Context.Export(exporter_context, L) (§5.3); both roles may export. */
    byte[] export(byte[] exporterContext, int length) {
      if (exporterSecret == null) {
        throw new IllegalStateException("this context has no exporter secret");
      }
      return labeledExpand(HPKE_SUITE_ID, exporterSecret, "sec", exporterContext, length);
    }

    long seq() {
      return seq;
    }

    byte[] key() {
      return key.clone();
    }

    byte[] baseNonce() {
      return baseNonce.clone();
    }

    private byte[] aead(int mode, byte[] aad, byte[] input) throws GeneralSecurityException {
      // A fresh Cipher per message: the JDK refuses to re-encrypt with a key and nonce it has just used.
      Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
      cipher.init(mode, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(computeNonce()));
      cipher.updateAAD(aad);
      return cipher.doFinal(input);
    }

    /** ComputeNonce(seq) (§5.2): base_nonce XOR I2OSP(seq, Nn). */
    private byte[] computeNonce() {
      byte[] seqBytes = i2osp(seq, NONCE_LENGTH);
      byte[] nonce = new byte[NONCE_LENGTH];
      for (int i = 0; i < NONCE_LENGTH; i++) {
        nonce[i] = (byte) (baseNonce[i] ^ seqBytes[i]);
      }
      return nonce;
    }

    /** IncrementSeq (§5.2); a long runs out long before 2^96 - 1, so that is the bound enforced. */
    private void incrementSeq() {
      if (seq == Long.MAX_VALUE) {
        throw new IllegalStateException("message limit reached");
      }
      seq++;
    }
  }
}
