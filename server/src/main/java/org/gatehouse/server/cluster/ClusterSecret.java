package org.gatehouse.server.cluster;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.internal.asn1.edec.EdECObjectIdentifiers;

/**
 * What the cluster secret proves, in the two places open-source Hazelcast and Vert.x let a member prove anything.
 *
 * <ul>
 *   <li><b>Hazelcast join</b>: the only thing open-source Hazelcast checks when a member joins is the cluster name.
 *   The name Hazelcast gets is the configured name followed by an HMAC of it under the secret, so a member
 *   without the secret asks to join a cluster that does not exist, and is refused.</li>
 *   <li><b>Event bus</b>: every connection between members is TLS 1.3 with client authentication required, and the
 *   only certificate either side trusts is one whose Ed25519 key is derived from the secret (every member derives
 *   the same key and the same certificate). A peer without the secret cannot complete the handshake, so it can
 *   neither send a message to a member nor receive one.</li>
 * </ul>
 *
 * <p>Limits (see docs/security.md, "The cluster"): Hazelcast member traffic is neither encrypted nor
 * authenticated beyond the join in open source (TLS and member authentication are Enterprise features), and the
 * derived cluster name crosses the network in clear in every join request; whoever can read the cluster network
 * can learn it and join Hazelcast. The event bus stays closed to them (the name does not reveal the secret), but
 * the Hazelcast maps do not. The cluster ports must therefore be reachable by the members only.
 */
public final class ClusterSecret {
  private static final String HAZELCAST_NAME_LABEL = "gatehouse hazelcast cluster name v1\n";
  private static final String EVENT_BUS_KEY_LABEL = "gatehouse event-bus key v1\n";
  private static final AlgorithmIdentifier ED25519 = new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519);

  private final String name;
  private final byte[] secret;

  public ClusterSecret(String name, String secret) {
    this.name = name;
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
  }

  /** The configured name plus 128 bits of HMAC under the secret: what Hazelcast compares at join. */
  public String hazelcastClusterName() {
    byte[] tag = hmac(HAZELCAST_NAME_LABEL + name);
    return name + "-" + HexFormat.of().formatHex(tag, 0, 16);
  }

  /** The event bus of this cluster: TLS 1.3, client certificates required, only the secret's certificate trusted. */
  public EventBusOptions secure(EventBusOptions options) {
    Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(hmac(EVENT_BUS_KEY_LABEL + name), 0);
    X509Certificate certificate = certificate(key);
    // The key store exists only in memory; Vert.x copies the event-bus options as JSON, so it must be a value.
    char[] password = randomPassword();
    Buffer keyStore = keyStore(key, certificate, password);
    return options.setSsl(true)
        .setKeyCertOptions(new PfxOptions().setValue(keyStore).setPassword(new String(password)))
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(pem(certificate))))
        .setClientAuth(ClientAuth.REQUIRED)
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"));
  }

  /** The certificate every member of this cluster presents (the same on every member). */
  X509Certificate certificate() {
    return certificate(new Ed25519PrivateKeyParameters(hmac(EVENT_BUS_KEY_LABEL + name), 0));
  }

  private X509Certificate certificate(Ed25519PrivateKeyParameters key) {
    X500Name subject = new X500Name("CN=Gatehouse cluster member");
    V3TBSCertificateGenerator tbs = new V3TBSCertificateGenerator();
    tbs.setSerialNumber(new ASN1Integer(1));
    tbs.setSignature(ED25519);
    tbs.setIssuer(subject);
    tbs.setSubject(subject);
    // The key is the credential; the certificate only carries it, so it never expires.
    tbs.setStartDate(new Time(new ASN1UTCTime("000101000000Z")));
    tbs.setEndDate(new Time(new ASN1GeneralizedTime("99991231235959Z")));
    tbs.setSubjectPublicKeyInfo(new SubjectPublicKeyInfo(ED25519, key.generatePublicKey().getEncoded()));
    TBSCertificate unsigned = tbs.generateTBSCertificate();
    try {
      byte[] encoded = unsigned.getEncoded(ASN1Encoding.DER);
      Ed25519Signer signer = new Ed25519Signer();
      signer.init(true, key);
      signer.update(encoded, 0, encoded.length);
      byte[] signature = signer.generateSignature();
      byte[] der = new DERSequence(new ASN1Encodable[] {unsigned, ED25519, new DERBitString(signature)})
          .getEncoded(ASN1Encoding.DER);
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the cluster certificate", e);
    }
  }

  private static Buffer keyStore(Ed25519PrivateKeyParameters key, X509Certificate certificate, char[] password) {
    try {
      PrivateKey privateKey = KeyFactory.getInstance("Ed25519")
          .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, key.getEncoded()));
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("member", privateKey, password, new java.security.cert.Certificate[] {certificate});
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      store.store(out, password);
      return Buffer.buffer(out.toByteArray());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the cluster key store", e);
    }
  }

  private static String pem(X509Certificate certificate) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static char[] randomPassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
  }

  private byte[] hmac(String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
