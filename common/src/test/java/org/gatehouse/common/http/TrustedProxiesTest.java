package org.gatehouse.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
  private final TrustedProxies proxies = TrustedProxies.of(List.of("10.0.0.0/8", "127.0.0.1", "fd00::/8"));

  @Test
  void untrustedPeerIsTheClientWhateverItForwards() {
    assertThat(proxies.clientAddress("203.0.113.9", List.of("1.2.3.4"))).isEqualTo("203.0.113.9");
  }

  @Test
  void trustedPeerGivesTheRightMostUntrustedHop() {
    assertThat(proxies.clientAddress("10.1.2.3", List.of("198.51.100.7, 10.9.9.9"))).isEqualTo("198.51.100.7");
    // A client cannot hide behind a forged left-most entry: the right-most untrusted hop wins.
    assertThat(proxies.clientAddress("127.0.0.1", List.of("6.6.6.6, 198.51.100.7"))).isEqualTo("198.51.100.7");
  }

  @Test
  void clientCannotHideBehindAForgedFirstHeaderLineWhenTheProxyAddsItsOwn() {
    // HAProxy's "option forwardfor" appends a separate line: the client's forged line comes first.
    assertThat(proxies.clientAddress("10.0.0.1", List.of("6.6.6.6", "198.51.100.7"))).isEqualTo("198.51.100.7");
    assertThat(proxies.clientAddress("10.0.0.1", List.of("6.6.6.6, 7.7.7.7", "198.51.100.7, 10.2.2.2")))
        .isEqualTo("198.51.100.7");
    assertThat(proxies.clientAddress("10.0.0.1", List.of())).isEqualTo("10.0.0.1");
  }

  @Test
  void ipv6AndMappedAddresses() {
    assertThat(proxies.clientAddress("fd12::1", List.of("2001:db8::5"))).isEqualTo("2001:db8::5");
    assertThat(proxies.trusts("::ffff:10.0.0.1")).isTrue();
    assertThat(proxies.trusts("11.0.0.1")).isFalse();
  }

  @Test
  void garbageInTheHeaderFallsBackToThePeer() {
    assertThat(proxies.clientAddress("10.0.0.1", List.of("not-an-ip"))).isEqualTo("10.0.0.1");
    assertThat(proxies.clientAddress("10.0.0.1", List.of(""))).isEqualTo("10.0.0.1");
  }

  @Test
  void noProxiesMeansThePeer() {
    assertThat(TrustedProxies.none().clientAddress("10.0.0.1", List.of("1.2.3.4"))).isEqualTo("10.0.0.1");
  }

  @Test
  void invalidBlocksAreRefused() {
    assertThatThrownBy(() -> TrustedProxies.validate("10.0.0.0/33")).hasMessageContaining("prefix length");
    assertThatThrownBy(() -> TrustedProxies.validate("example.org")).hasMessageContaining("expected an IP address");
  }
}
