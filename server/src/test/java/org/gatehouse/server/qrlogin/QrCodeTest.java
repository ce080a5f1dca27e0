package org.gatehouse.server.qrlogin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** {@link QrCode} against the worked examples of MSC4388's "QR code format" and "Unstable QR code format". */
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

  @Test
  void newDeviceExample() {
    byte[] expected = hex("4D 41 54 52 49 58 03 00" + TAIL);
    QrCode code = new QrCode(QrCode.Prefix.STABLE, QrCode.Intent.LOGIN, KEY, ID, BASE_URL);
    assertThat(code.encode()).isEqualTo(expected);
    assertRoundTrip(expected, QrCode.Prefix.STABLE, QrCode.Intent.LOGIN);
  }

  @Test
  void existingDeviceExample() {
    byte[] expected = hex("4D 41 54 52 49 58 03 01" + TAIL);
    QrCode code = new QrCode(QrCode.Prefix.STABLE, QrCode.Intent.RECIPROCATE, KEY, ID, BASE_URL);
    assertThat(code.encode()).isEqualTo(expected);
    assertRoundTrip(expected, QrCode.Prefix.STABLE, QrCode.Intent.RECIPROCATE);
  }

  @Test
  void unstablePrefixExample() {
    byte[] expected = hex("49 4F 5F 45 4C 45 4D 45 4E 54 5F 4D 53 43 34 33 38 38 03 01" + TAIL);
    QrCode code = new QrCode(QrCode.Prefix.UNSTABLE, QrCode.Intent.RECIPROCATE, KEY, ID, BASE_URL);
    assertThat(code.encode()).isEqualTo(expected);
    assertRoundTrip(expected, QrCode.Prefix.UNSTABLE, QrCode.Intent.RECIPROCATE);
  }

  @Test
  void malformedCodesAreRefused() {
    byte[] good = hex("4D 41 54 52 49 58 03 00" + TAIL);
    assertThatThrownBy(() -> QrCode.decode(Arrays.copyOf(good, good.length - 1)))
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> QrCode.decode(Arrays.copyOf(good, good.length + 1))).hasMessageContaining("unexpected");
    byte[] verification = good.clone();
    verification[6] = 0x02;
    assertThatThrownBy(() -> QrCode.decode(verification)).hasMessageContaining("type");
    byte[] badIntent = good.clone();
    badIntent[7] = 0x02;
    assertThatThrownBy(() -> QrCode.decode(badIntent)).hasMessageContaining("intent");
    byte[] notMatrix = good.clone();
    notMatrix[0] = 'X';
    assertThatThrownBy(() -> QrCode.decode(notMatrix)).hasMessageContaining("not a Matrix");
    assertThatThrownBy(() -> new QrCode(QrCode.Prefix.STABLE, QrCode.Intent.LOGIN, KEY, ID,
        "https://" + "a".repeat(250) + ".org")).hasMessageContaining("255");
  }

  @Test
  void requestBaseDropsOnlyATrailingSlash() {
    assertThat(new QrCode(QrCode.Prefix.STABLE, QrCode.Intent.LOGIN, KEY, ID, BASE_URL + "/").requestBase())
        .isEqualTo(BASE_URL);
    assertThat(new QrCode(QrCode.Prefix.STABLE, QrCode.Intent.LOGIN, KEY, ID, BASE_URL).requestBase())
        .isEqualTo(BASE_URL);
  }

  private static void assertRoundTrip(byte[] encoded, QrCode.Prefix prefix, QrCode.Intent intent) {
    QrCode decoded = QrCode.decode(encoded);
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
