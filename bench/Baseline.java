import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The machine's ceiling for the rendezvous benchmark: a bare Vert.x HTTP server answering every request with a
 * fixed JSON body the size of a rendezvous GET answer, one server instance per core like a Gatehouse node.
 *
 *   java -cp server/target/gatehouse.jar bench/Baseline.java PORT
 */
public final class Baseline {
  static final Buffer BODY = Buffer.buffer("{\"data\":\"" + "x".repeat(64) + "\",\"sequence_token\":"
      + "\"AAAAAAAAAAAAAAAAAAAAAA\",\"expires_in_ms\":119000,\"expires_ts\":1795000000000}");

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    int instances = Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
            .requestHandler(request -> request.response().putHeader("Content-Type", "application/json").end(BODY))
            .listen();
      }
    }, new DeploymentOptions().setInstances(instances)).await();
    System.out.println("baseline ready on port " + port + " with " + instances + " instances");
  }
}
