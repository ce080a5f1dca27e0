package org.gatehouse.server.qrlogin;

/**
 * Where one device's requests land. Clients only ever see the public base URL (in the QR code, the metadata, the
 * verification URI); in a cluster test a load balancer with client affinity would send each device to its own
 * node, which this mapping stands in for. With one node the public URL is the node's own, and nothing changes.
 */
record Route(String publicBase, String node) {
  Route {
    publicBase = withoutTrailingSlash(publicBase);
    node = withoutTrailingSlash(node);
  }

  static Route direct(String node) {
    return new Route(node, node);
  }

  /** The URL to actually request for a URL a client was given. */
  String url(String given) {
    if (given.equals(publicBase) || given.startsWith(publicBase + "/")) {
      return node + given.substring(publicBase.length());
    }
    return given;
  }

  private static String withoutTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
