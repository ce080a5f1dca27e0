package org.gatehouse.auth.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AcceptLanguageTest {
  @Test
  void browserSendingThousandsOfRangesIsReadForTheFirstTenOnly() {
    // The review's attack: a 16 KB header of non-matching ranges, matched against every localized field.
    String header = IntStream.range(0, 3000).mapToObj(i -> "x-" + Integer.toString(i, 36)).collect(Collectors.joining(","))
        + ",fr";
    assertThat(AcceptLanguage.ranges(header)).hasSize(AcceptLanguage.MAX_RANGES);
    assertThat(AcceptLanguage.ranges(header)).extracting(Locale.LanguageRange::getRange).doesNotContain("fr");
  }

  @Test
  void ordinaryHeadersKeepTheirRangesAndWeights() {
    assertThat(AcceptLanguage.ranges("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5"))
        .extracting(Locale.LanguageRange::getRange).containsExactly("fr-ch", "fr", "en", "de", "*");
    assertThat(AcceptLanguage.ranges(null)).isEmpty();
  }

  @Test
  void malformedHeaderMeansTheDefaultTextsNotAnError() {
    assertThat(AcceptLanguage.ranges("fr;q=lots")).isEmpty();
    assertThat(AcceptLanguage.ranges("\u00e9\u00e9, en")).isEmpty();
    assertThat(AcceptLanguage.ranges(" ")).isEmpty();
    assertThat(AcceptLanguage.ranges(",,,")).isEmpty();
  }
}
