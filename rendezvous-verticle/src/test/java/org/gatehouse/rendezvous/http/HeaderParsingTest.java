package org.gatehouse.rendezvous.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.gatehouse.rendezvous.domain.Precondition;
import org.junit.jupiter.api.Test;

class HeaderParsingTest {
  @Test
  void entityTags() {
    assertThat(EntityTags.of("abc")).isEqualTo("\"abc\"");
    assertThat(EntityTags.ifMatch("\"abc\"")).isEqualTo(Precondition.token("abc"));
    assertThat(EntityTags.ifMatch("*").matches("abc")).as("If-Match: * is no unconditional write").isFalse();
    assertThat(EntityTags.ifNoneMatch("*")).isEqualTo(Precondition.ANY);
    assertThat(EntityTags.ifMatch("\"a\", \"b\"").tokens()).containsExactly("a", "b");
    assertThat(EntityTags.ifMatch("abc")).isEqualTo(Precondition.token("abc"));
    // If-Match compares strongly: a weak tag never matches.
    assertThat(EntityTags.ifMatch("W/\"abc\"").matches("abc")).isFalse();
    // If-None-Match compares weakly.
    assertThat(EntityTags.ifNoneMatch("W/\"abc\"").matches("abc")).isTrue();
  }

  @Test
  void preferWait() {
    Duration max = Duration.ofSeconds(30);
    assertThat(PreferWait.of(List.of("wait=10"), max)).isEqualTo(Duration.ofSeconds(10));
    assertThat(PreferWait.of(List.of("respond-async, wait=5"), max)).isEqualTo(Duration.ofSeconds(5));
    assertThat(PreferWait.of(List.of("Wait = \"7\""), max)).isEqualTo(Duration.ofSeconds(7));
    assertThat(PreferWait.of(List.of("wait=600"), max)).isEqualTo(max);
    assertThat(PreferWait.of(List.of("wait=soon"), max)).isZero();
    assertThat(PreferWait.of(List.of("return=minimal"), max)).isZero();
    assertThat(PreferWait.of(List.of(), max)).isZero();
  }

  @Test
  void plainTextContentTypes() {
    assertThat(PlainTextBody.isPlainText("text/plain")).isTrue();
    assertThat(PlainTextBody.isPlainText("Text/Plain; charset=UTF-8")).isTrue();
    assertThat(PlainTextBody.isPlainText("text/plain; charset=\"utf-8\"")).isTrue();
    assertThat(PlainTextBody.isPlainText("text/plain; charset=iso-8859-1")).isFalse();
    assertThat(PlainTextBody.isPlainText("application/json")).isFalse();
    assertThat(PlainTextBody.isPlainText("text/plainx")).isFalse();
  }

  @Test
  void httpDatesAreImfFixdate() {
    assertThat(HttpDates.format(784111777000L)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
  }
}
