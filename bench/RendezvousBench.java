import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The rendezvous scenarios wrk cannot express, against a running node:
 *
 *   java -cp server/target/gatehouse.jar bench/RendezvousBench.java seed BASE_URL COUNT msc4388|msc4108 CHARS OUT
 *       creates COUNT sessions with a CHARS-character payload, 64 at a time, and writes their paths to OUT
 *       (MSC4388: the session path; MSC4108: the session URL's path).
 *   java -cp server/target/gatehouse.jar bench/RendezvousBench.java long-poll BASE_URL POLLERS ROUNDS [burst]
 *       long-poll wake-up latency: POLLERS clients each hold a long-poll (?since=&timeout_ms=30000) on their own
 *       MSC4388 session; a writer then writes every session, one at a time (or all at once with "burst");
 *       latency is from just before the write is sent to the moment the waiting client has the new data.
 *       Prints one JSON line.
 */
public final class RendezvousBench {
  static final String MSC4388 = "/_matrix/client/unstable/io.element.msc4388/rendezvous";
  static final String MSC4108 = "/_matrix/client/unstable/org.matrix.msc4108/rendezvous";

  public static void main(String[] args) throws Exception {
    vertx = Vertx.vertx();
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(256));
    try {
      switch (args[0]) {
        case "seed" -> seed(client, args[1], Integer.parseInt(args[2]), args[3], Integer.parseInt(args[4]),
            Path.of(args[5]));
        case "long-poll" -> longPoll(client, args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
            args.length > 4 && args[4].equals("burst"));
        default -> throw new IllegalArgumentException("unknown command " + args[0]);
      }
    } finally {
      vertx.close().await();
    }
  }

  /** A response, read whole. */
  record Reply(int status, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  static Future<Reply> call(HttpClient client, HttpMethod method, String url, String contentType, String body) {
    RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(url);
    if (contentType != null) {
      options.putHeader("Content-Type", contentType);
    }
    return client.request(options)
        .compose(request -> body == null ? request.send() : request.send(body))
        .compose(response -> response.body().map(b -> new Reply(response.statusCode(), b.toString())));
  }

  static Vertx vertx;

  /**
   * Runs {@code start} on a Vert.x event loop and returns what it returns. Requests are issued there, never from
   * the main thread: a response handled before the main thread registered its continuation would be lost.
   */
  static <T> T onContext(java.util.function.Supplier<T> start) throws Exception {
    io.vertx.core.Promise<T> started = io.vertx.core.Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> started.complete(start.get()));
    return started.future().await(60, TimeUnit.SECONDS);
  }

  static void seed(HttpClient client, String base, int count, String protocol, int chars, Path out) throws Exception {
    String payload = "x".repeat(chars);
    List<String> paths = new ArrayList<>();
    long started = System.nanoTime();
    for (int done = 0; done < count; ) {
      int batch = Math.min(64, count - done);
      List<Future<String>> creating = onContext(() -> {
        List<Future<String>> calls = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
          calls.add(create(client, base, protocol, payload));
        }
        return calls;
      });
      Future.all(creating).await(60, TimeUnit.SECONDS);
      creating.forEach(f -> paths.add(f.result()));
      done += batch;
    }
    Files.write(out, paths);
    System.out.printf("seeded %d %s sessions in %.1f s%n", count, protocol, (System.nanoTime() - started) / 1e9);
  }

  static Future<String> create(HttpClient client, String base, String protocol, String payload) {
    if (protocol.equals("msc4108")) {
      return call(client, HttpMethod.POST, base + MSC4108, "text/plain", payload).map(r -> {
        String url = expect(r, 201).json().getString("url");
        return url.substring(url.indexOf(MSC4108));
      });
    }
    return call(client, HttpMethod.POST, base + MSC4388, "application/json",
        new JsonObject().put("data", payload).encode())
        .map(r -> MSC4388 + "/" + expect(r, 200).json().getString("id"));
  }

  static Reply expect(Reply reply, int status) {
    if (reply.status() != status) {
      throw new IllegalStateException("expected " + status + ", got " + reply.status() + ": " + reply.body());
    }
    return reply;
  }

  static void longPoll(HttpClient client, String base, int pollers, int rounds, boolean burst) throws Exception {
    String[] ids = new String[pollers];
    String[] tokens = new String[pollers];
    for (int i = 0; i < pollers; i++) {
      JsonObject created = expect(onContext(() -> call(client, HttpMethod.POST, base + MSC4388, "application/json",
          "{\"data\":\"0\"}")).await(30, TimeUnit.SECONDS), 200).json();
      ids[i] = created.getString("id");
      tokens[i] = created.getString("sequence_token");
    }
    long[] latencies = new long[pollers * rounds];
    long started = System.nanoTime();
    for (int round = 0; round < rounds; round++) {
      int r = round;
      long[] sentAt = new long[pollers];
      List<Future<?>> answered = onContext(() -> {
        List<Future<?>> polls = new ArrayList<>();
        for (int i = 0; i < pollers; i++) {
          int index = i;
          String since = tokens[i];
          String url = base + MSC4388 + "/" + ids[i] + "?since=" + since + "&timeout_ms=30000";
          polls.add(call(client, HttpMethod.GET, url, null, null).map(reply -> {
            long now = System.nanoTime();
            JsonObject body = expect(reply, 200).json();
            if (body.getString("sequence_token").equals(since)) {
              throw new IllegalStateException("a long-poll came back unchanged");
            }
            latencies[r * pollers + index] = now - sentAt[index];
            return null;
          }));
        }
        return polls;
      });
      // Let every poll reach the node and park before anything is written.
      Thread.sleep(300);
      if (burst) {
        // Every session written at once: the wake-ups queue behind each other.
        List<Future<?>> written = onContext(() -> {
          List<Future<?>> writes = new ArrayList<>();
          for (int i = 0; i < pollers; i++) {
            writes.add(write(client, base, ids, tokens, sentAt, i, r));
          }
          return writes;
        });
        Future.all(written).await(60, TimeUnit.SECONDS);
      } else {
        // One write at a time, the next once its poll has answered: the wake-up of one waiting client.
        for (int i = 0; i < pollers; i++) {
          int index = i;
          onContext(() -> write(client, base, ids, tokens, sentAt, index, r)).await(60, TimeUnit.SECONDS);
          answered.get(i).await(60, TimeUnit.SECONDS);
        }
      }
      Future.all(answered).await(60, TimeUnit.SECONDS);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    Arrays.sort(latencies);
    System.out.println(new JsonObject()
        .put("scenario", "long-poll wake-up (" + (burst ? "all sessions written at once" : "one write at a time") + ")")
        .put("pollers", pollers).put("rounds", rounds).put("samples", latencies.length)
        .put("p50_ms", percentile(latencies, 50)).put("p99_ms", percentile(latencies, 99))
        .put("max_ms", percentile(latencies, 100))
        .put("seconds", Math.round(seconds * 100) / 100.0)
        .encode());
  }

  static Future<?> write(HttpClient client, String base, String[] ids, String[] tokens, long[] sentAt, int i,
                         int round) {
    String body = new JsonObject().put("sequence_token", tokens[i]).put("data", Integer.toString(round + 1)).encode();
    sentAt[i] = System.nanoTime();
    return call(client, HttpMethod.PUT, base + MSC4388 + "/" + ids[i], "application/json", body)
        .map(reply -> tokens[i] = expect(reply, 200).json().getString("sequence_token"));
  }

  static double percentile(long[] sorted, double p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return Math.round(sorted[Math.max(0, index)] / 1e4) / 100.0;
  }
}
