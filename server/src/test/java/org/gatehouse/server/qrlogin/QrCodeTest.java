package org.gatehouse.server.qrlogin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * {@link QrCode} in the contract's format (two-byte lengths, {@code ../shared/specs/rendezvous.md}) and against the
 * worked examples of MSC4388's current "QR code format" and "Unstable QR code format" (one-byte lengths).
 */
class QrCodeTest {
  private static final byte[] KEY = Base64.getDecoder().decode("2IZoarIZe3gOMAqdSiFHSAcA15KfOasxueUUNwJI7Ws");
  private static final String ID = "e8da6355-550b-4a32-a193-1619d9830668";
  private static final String BASE_URL = "https://matrix-client.matrix.org";
  private static final String TAIL = """
      d8 86 68 6a b2 19 7b 78 0e 30 0a 9d 4a 21 47 48 07 00 d7 92 9f 39 ab 31 b9 e5 14 37 02 48 ed 6b
      24
      65 38 64 61 36 33 35 35 2D 35 35 30 62 2D 34 61 33 32 2D 61 31 39 33 2D 31 36 31 39 64 39 38 33 30 36 36 38
      20
      68 74 74 70 73 3A 2F 2F 6D 61 74 72 69 78 2D 63 6C 69 65 6E 74 2E 6d 61 74 72 69 78 2e 6f 72 67
      """;

  private static final QrCode.Lengths MSC_TEXT = QrCode.Lengths.ONE_BYTE;

  @Test
  void theContractsFormatHasTwoByteBigEndianLengths() {
    byte[] expected = hex("4D 41 54 52 49 58 03 00" + TAIL.replace("\n24\n", "\n00 24\n").replace("\n20\n", "\n00 20\n"));
    QrCode code = new QrCode(QrCode.Prefix.STABLE, QrCode.Intent.LOGIN, KEY, ID, BASE_URL);
    assertThat(code.lengths()).isEqualTo(QrCode.Lengths.TWO_BYTES);
    assertThat(code.encode()).isEqualTo(expected);
    QrCode decoded = QrCode.decode(expected);
    assertThat(decoded.rendezvousId()).isEqualTo(ID);
    assertThat(decoded.baseUrl()).isEqualTo(BASE_URL);
    // A base URL longer than 255 bytes fits the contract's format, not the MSC text's.
    String longUrl = "https://" + "a".repeat(300) + ".org";
    assertThat(QrCode.decode(new QrCode(QrCode.Prefix.STABLE, QrCode.Intent.LOGIN, KEY, ID, longUrl).encode())
        .baseUrl()).isEqualTo(longUrl);
  }

  @Test
  void newDeviceExample() {
    byte[] expected = hex("4D 41 54 52 49 58 03 00" + TAIL);
    QrCode code = new QrCode(QrCode.Prefix.STABLE, QrCode.Intent.LOGIN, KEY, ID, BASE_URL, MSC_TEXT);
    assertThat(code.encode()).isEqualTo(expected);
    assertRoundTrip(expected, QrCode.Prefix.STABLE, QrCode.Intent.LOGIN);
  }

  @Test
  void existingDeviceExample() {
    byte[] expected = hex("4D 41 54 52 49 58 03 01" + TAIL);
    QrCode code = new QrCode(QrCode.Prefix.STABLE, QrCode.Intent.RECIPROCATE, KEY, ID, BASE_URL, MSC_TEXT);
    assertThat(code.encode()).isEqualTo(expected);
    assertRoundTrip(expected, QrCode.Prefix.STABLE, QrCode.Intent.RECIPROCATE);
  }

  @Test
  void unstablePrefixExample() {
    byte[] expected = hex("49 4F 5F 45 4C 45 4D 45 4E 54 5F 4D 53 43 34 33 38 38 03 01" + TAIL);
    QrCode code = new QrCode(QrCode.Prefix.UNSTABLE, QrCode.Intent.RECIPROCATE, KEY, ID, BASE_URL, MSC_TEXT);
    assertThat(code.encode()).isEqualTo(expected);
    assertRoundTrip(expected, QrCode.Prefix.UNSTABLE, QrCode.Intent.RECIPROCATE);
  }

  @Test
  void malformedCodesAreRefused() {
    byte[] good = hex("4D 41 54 52 49 58 03 00" + TAIL);
    assertThatThrownBy(() -> QrCode.decode(Arrays.copyOf(good, good.length - 1), MSC_TEXT))
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> QrCode.decode(Arrays.copyOf(good, good.length + 1), MSC_TEXT))
        .hasMessageContaining("unexpected");
    // Read with the contract's two-byte lengths, the MSC text's one-byte ones do not parse.
    assertThatThrownBy(() -> QrCode.decode(good)).isInstanceOf(IllegalArgumentException.class);
    byte[] verification = good.clone();
    verification[6] = 0x02;
    assertThatThrownBy(() -> QrCode.decode(verification, MSC_TEXT)).hasMessageContaining("type");
    byte[] badIntent = good.clone();
    badIntent[7] = 0x02;
    assertThatThrownBy(() -> QrCode.decode(badIntent, MSC_TEXT)).hasMessageContaining("intent");
    byte[] notMatrix = good.clone();
    notMatrix[0] = 'X';
    assertThatThrownBy(() -> QrCode.decode(notMatrix, MSC_TEXT)).hasMessageContaining("not a Matrix");
    assertThatThrownBy(() -> new QrCode(QrCode.Prefix.STABLE, QrCode.Intent.LOGIN, KEY, ID,
        "https://" + "a".repeat(250) + ".org", MSC_TEXT)).hasMessageContaining("255");
  }

  @Test
  void requestBaseDropsOnlyATrailingSlash() {
    assertThat(new QrCode(QrCode.Prefix.STABLE, QrCode.Intent.LOGIN, KEY, ID, BASE_URL + "/").requestBase())
        .isEqualTo(BASE_URL);
    assertThat(new QrCode(QrCode.Prefix.STABLE, QrCode.Intent.LOGIN, KEY, ID, BASE_URL).requestBase())
        .isEqualTo(BASE_URL);
  }

  private static void assertRoundTrip(byte[] encoded, QrCode.Prefix prefix, QrCode.Intent intent) {
    QrCode decoded = QrCode.decode(encoded, MSC_TEXT);
    assertThat(decoded.prefix()).isEqualTo(prefix);
    assertThat(decoded.intent()).isEqualTo(intent);
    assertThat(decoded.publicKey()).isEqualTo(KEY);
    assertThat(decoded.rendezvousId()).isEqualTo(ID);
    assertThat(decoded.baseUrl()).isEqualTo(BASE_URL);
  }

  private static byte[] hex(String spaced) {
    return HexFormat.of().parseHex(spaced.replaceAll("\\s", ""));
  }
}
