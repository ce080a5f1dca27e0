package org.gatehouse.server.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * One instance of an HTTP listener of the node. The public listener is one per event loop, all bound to the same
 * port and serving the same router (Vert.x spreads connections across them); the metrics listener is one.
 */
public final class HttpListenerVerticle extends VerticleBase {
  private final Router router;
  private final String host;
  private final int port;
  private HttpServer server;

  public HttpListenerVerticle(Router router, String host, int port) {
    this.router = router;
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        // Never compress: MSC4108 clients compare ETags and content lengths byte for byte.
        .setCompressionSupported(false)
        .setIdleTimeout(120)
        .setMaxHeaderSize(16 * 1024);
    return vertx.createHttpServer(options).requestHandler(router).listen().onSuccess(s -> server = s);
  }

  /** The bound port (differs from the configured one when that was 0). */
  public int actualPort() {
    return server.actualPort();
  }
}
