package org.gatehouse.common.http;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The proxies whose {@code X-Forwarded-For} header is believed, as CIDR blocks ({@code 10.0.0.0/8},
 * {@code 127.0.0.1}, {@code ::1/128}). An empty list believes no one: the client address is the peer.
 */
public final class TrustedProxies {
  private final List<Cidr> blocks;

  private TrustedProxies(List<Cidr> blocks) {
    this.blocks = blocks;
  }

  public static TrustedProxies none() {
    return new TrustedProxies(List.of());
  }

  /** Parses CIDR blocks; an invalid one raises {@link IllegalArgumentException} naming it. */
  public static TrustedProxies of(List<String> cidrs) {
    return new TrustedProxies(cidrs.stream().map(Cidr::parse).toList());
  }

  /** Checks one CIDR text, for configuration validation; returns it unchanged. */
  public static String validate(String cidr) {
    Cidr.parse(cidr);
    return cidr;
  }

  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  public boolean trusts(String address) {
    if (blocks.isEmpty() || address == null) {
      return false;
    }
    byte[] bytes = literalBytes(address);
    if (bytes == null) {
      return false;
    }
    for (Cidr block : blocks) {
      if (block.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The client's address: the peer, unless the peer is a trusted proxy, in which case the right-most address
   * of {@code X-Forwarded-For} that is not itself a trusted proxy.
   *
   * <p>{@code forwardedFor} holds every {@code X-Forwarded-For} header line in the order received. They are one
   * list (RFC 9110 §5.3): a proxy that appends its own line instead of extending the client's (HAProxy's
   * {@code option forwardfor}) leaves the client-supplied line first, so reading only the first line would
   * believe whatever the client wrote.
   */
  public String clientAddress(String peer, List<String> forwardedFor) {
    if (forwardedFor == null || forwardedFor.isEmpty() || !trusts(peer)) {
      return peer;
    }
    String[] hops = String.join(",", forwardedFor).split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (hop.isEmpty()) {
        continue;
      }
      if (!trusts(hop)) {
        return literalBytes(hop) == null ? peer : hop;
      }
    }
    return peer;
  }

  /** The bytes of an IP literal, or null if it is not one (never a DNS lookup). */
  static byte[] literalBytes(String address) {
    String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    boolean v4 = a.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean v6 = a.contains(":") && a.matches("[0-9A-Fa-f:.]+");
    if (!v4 && !v6) {
      return null;
    }
    try {
      return InetAddress.getByName(a).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private record Cidr(byte[] network, int prefix) {
    static Cidr parse(String text) {
      String t = text.trim();
      int slash = t.indexOf('/');
      String host = slash < 0 ? t : t.substring(0, slash);
      byte[] bytes = literalBytes(host);
      if (bytes == null) {
        throw new IllegalArgumentException("expected an IP address or CIDR block such as 10.0.0.0/8, got \"" + text + "\"");
      }
      int max = bytes.length * 8;
      int prefix = max;
      if (slash >= 0) {
        String p = t.substring(slash + 1);
        if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > max) {
          throw new IllegalArgumentException("prefix length of \"" + text + "\" must be from 0 to " + max);
        }
        prefix = Integer.parseInt(p);
      }
      return new Cidr(bytes, prefix);
    }

    boolean contains(byte[] address) {
      byte[] a = address;
      byte[] n = network;
      if (a.length != n.length) {
        // Compare IPv4-mapped IPv6 addresses with IPv4 blocks.
        if (a.length == 16 && n.length == 4 && isMappedV4(a)) {
          a = java.util.Arrays.copyOfRange(a, 12, 16);
        } else {
          return false;
        }
      }
      int bits = a.length * 8;
      BigInteger mask = prefix == 0 ? BigInteger.ZERO
          : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftRight(bits - prefix).shiftLeft(bits - prefix);
      return new BigInteger(1, a).and(mask).equals(new BigInteger(1, n).and(mask));
    }

    private static boolean isMappedV4(byte[] a) {
      for (int i = 0; i < 10; i++) {
        if (a[i] != 0) {
          return false;
        }
      }
      return (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff;
    }
  }
}
