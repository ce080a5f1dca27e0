import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntFunction;

/**
 * An appservice creating devices for its users (MSC4190) as fast as a bounded number of requests in flight allows,
 * against a running node, and the same client against the bare baseline server for the machine's ceiling:
 *
 *   AS_TOKEN=... [AS_TOKEN_LIMITED=...] java -cp server/target/gatehouse.jar bench/AppserviceBench.java \
 *       NODE_URL BASELINE_URL USERS DEVICES_PER_USER CONCURRENCY WARMUP_DEVICES
 *
 * Steps, each printing one JSON line: the appservice's sender (whoami, which also gives the server name);
 * a warm-up (WARMUP_DEVICES / DEVICES_PER_USER other users registered, WARMUP_DEVICES creations for them, as many
 * PUTs to the baseline); registration of USERS users ({@code POST /register}, {@code m.login.application_service},
 * inhibit_login); the ceiling (the
 * baseline answering USERS x DEVICES_PER_USER PUTs with the same path shape, header and body); the measured
 * {@code PUT /_matrix/client/v3/devices/{id}?user_id=} creations (every one must be a 201); a check that a sample
 * of users list exactly their devices; and, with AS_TOKEN_LIMITED (an appservice registered with
 * {@code rate_limited: true}), the same creations under its device-creation limit, counting 201s and 429s.
 *
 * <p>Closed loop: CONCURRENCY chains, each sending its next request when the previous one answered, spread over
 * two event loops. Tokens come from the environment, never the command line.
 */
public final class AppserviceBench {
  static final String DEVICES = "/_matrix/client/v3/devices/";
  static Vertx vertx;
  static HttpClient client;

  public static void main(String[] args) throws Exception {
    String node = args[0];
    String baseline = args[1];
    int users = Integer.parseInt(args[2]);
    int perUser = Integer.parseInt(args[3]);
    int concurrency = Integer.parseInt(args[4]);
    int warmup = Integer.parseInt(args[5]);
    String token = System.getenv("AS_TOKEN");
    String limitedToken = System.getenv("AS_TOKEN_LIMITED");
    vertx = Vertx.vertx();
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(concurrency));
    try {
      JsonObject sender = expect(onLoop(() -> call(HttpMethod.GET, node + "/_matrix/client/v3/account/whoami", token, null)),
          200).json();
      String server = sender.getString("user_id").substring(sender.getString("user_id").indexOf(':') + 1);
      print(new JsonObject().put("step", "sender").put("user_id", sender.getString("user_id")));

      // Warm-up: JIT and connection pools on both sides, with creations the measurement does not count.
      int warmUsers = Math.max(1, warmup / perUser);
      drive(warmUsers, concurrency, i -> register(node, token, "bench_w" + i)).requireAll(200);
      drive(warmUsers * perUser, concurrency, i -> create(node, token, "@bench_w" + (i / perUser) + ":" + server,
          "WARM" + (i % perUser))).requireAll(201);
      drive(warmUsers * perUser, concurrency, i -> create(baseline, token, "@bench_w" + (i / perUser) + ":" + server,
          "WARM" + (i % perUser))).requireAll(200);

      Run registered = drive(users, concurrency, i -> register(node, token, "bench_u" + i));
      print(registered.json("register " + users + " users", concurrency));
      registered.requireAll(200);

      int total = users * perUser;
      Run ceiling = drive(total, concurrency, i -> create(baseline, token, "@bench_u" + (i / perUser) + ":" + server,
          "DEV" + (i % perUser)));
      print(ceiling.json("ceiling: bare Vert.x answering the same PUTs", concurrency));
      ceiling.requireAll(200);

      // Device i is device (i % perUser) of user (i / perUser): consecutive requests go to different devices of
      // the same user, as a bridge setting up a user's devices would send them.
      Run created = drive(total, concurrency, i -> create(node, token, "@bench_u" + (i / perUser) + ":" + server,
          "DEV" + (i % perUser)));
      print(created.json("create " + total + " devices for " + users + " users (rate_limited: false)", concurrency)
          .put("ratio_to_ceiling", Math.round(created.rps() / ceiling.rps() * 100) / 100.0));
      created.requireAll(201);

      int sampled = 0;
      for (int u = 0; u < users; u += Math.max(1, users / 10)) {
        String url = node + "/_matrix/client/v3/devices?user_id=@bench_u" + u + ":" + server;
        JsonObject listed = expect(onLoop(() -> call(HttpMethod.GET, url, token, null)), 200).json();
        if (listed.getJsonArray("devices").size() != perUser) {
          throw new IllegalStateException("@bench_u" + u + " lists " + listed.getJsonArray("devices").size()
              + " devices, expected " + perUser);
        }
        sampled++;
      }
      print(new JsonObject().put("step", "verified").put("users_sampled", sampled).put("devices_each", perUser));

      if (limitedToken != null && !limitedToken.isBlank()) {
        drive(users, concurrency, i -> register(node, limitedToken, "limited_u" + i)).requireAll(200);
        Run limited = drive(total, concurrency, i -> create(node, limitedToken,
            "@limited_u" + (i / perUser) + ":" + server, "DEV" + (i % perUser)));
        print(limited.json("create " + total + " devices with rate_limited: true (no retries)", concurrency));
        limited.requireOnly(201, 429);
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

  static Future<Reply> call(HttpMethod method, String url, String token, String body) {
    RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(url)
        .putHeader("Authorization", "Bearer " + token);
    if (body != null) {
      options.putHeader("Content-Type", "application/json");
    }
    return client.request(options)
        .compose(request -> body == null ? request.send() : request.send(Buffer.buffer(body)))
        .compose(response -> response.body().map(b -> new Reply(response.statusCode(), b.toString())));
  }

  static Future<Integer> register(String base, String token, String localpart) {
    return call(HttpMethod.POST, base + "/_matrix/client/v3/register", token, new JsonObject()
        .put("type", "m.login.application_service").put("username", localpart).put("inhibit_login", true).encode())
        .map(Reply::status);
  }

  static Future<Integer> create(String base, String token, String userId, String deviceId) {
    return call(HttpMethod.PUT, base + DEVICES + deviceId + "?user_id=" + userId, token, "{}").map(Reply::status);
  }

  static Reply expect(Reply reply, int status) {
    if (reply.status() != status) {
      throw new IllegalStateException("expected " + status + ", got " + reply.status() + ": " + reply.body());
    }
    return reply;
  }

  static void print(JsonObject line) {
    System.out.println(line.encode());
  }

  /** What {@code count} requests answered, and how long each took. */
  record Run(long[] latenciesNanos, Map<Integer, Integer> statuses, double seconds) {
    double rps() {
      return latenciesNanos.length / seconds;
    }

    JsonObject json(String scenario, int concurrency) {
      long[] sorted = latenciesNanos.clone();
      Arrays.sort(sorted);
      JsonObject byStatus = new JsonObject();
      statuses.forEach((status, n) -> byStatus.put(Integer.toString(status), n));
      return new JsonObject().put("scenario", scenario).put("requests", sorted.length).put("in_flight", concurrency)
          .put("seconds", Math.round(seconds * 100) / 100.0).put("rps", Math.round(rps()))
          .put("p50_ms", percentile(sorted, 50)).put("p99_ms", percentile(sorted, 99))
          .put("max_ms", percentile(sorted, 100)).put("statuses", byStatus);
    }

    void requireAll(int status) {
      requireOnly(status);
    }

    void requireOnly(Integer... allowed) {
      List<Integer> ok = List.of(allowed);
      statuses.forEach((status, n) -> {
        if (!ok.contains(status)) {
          throw new IllegalStateException(n + " answers with status " + status + " (expected only " + ok + ")");
        }
      });
    }
  }

  /**
   * Sends requests 0..count-1 with {@code concurrency} in flight: each chain sends the next index as soon as its
   * previous request answered. Chains run on two event-loop contexts; transport failures count as status -1.
   */
  static Run drive(int count, int concurrency, IntFunction<Future<Integer>> request) throws Exception {
    long[] latencies = new long[count];
    AtomicIntegerArray status = new AtomicIntegerArray(count);
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> chains = new ArrayList<>();
    Context[] contexts = eventLoops();
    long started = System.nanoTime();
    for (int c = 0; c < concurrency; c++) {
      Promise<Void> done = Promise.promise();
      chains.add(done.future());
      contexts[c % contexts.length].runOnContext(v -> chain(next, count, request, latencies, status, done));
    }
    Future.all(chains).await(30, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - started) / 1e9;
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      statuses.merge(status.get(i), 1, Integer::sum);
    }
    return new Run(latencies, statuses, seconds);
  }

  static Context[] loops;

  /**
   * Runs {@code call} on an event loop and waits for it. Requests are issued there, never from the main thread: a
   * response handled before the main thread registered its continuation would be lost.
   */
  static <T> T onLoop(java.util.function.Supplier<Future<T>> call) throws Exception {
    Promise<T> result = Promise.promise();
    eventLoops()[0].runOnContext(v -> call.get().onComplete(result));
    return result.future().await(60, TimeUnit.SECONDS);
  }

  /** Two contexts on two different event loops (two contexts made from the main thread would share one). */
  static Context[] eventLoops() throws Exception {
    if (loops == null) {
      List<Context> found = java.util.Collections.synchronizedList(new ArrayList<>());
      vertx.deployVerticle(() -> new VerticleBase() {
        @Override
        public Future<?> start() {
          found.add(context);
          return Future.succeededFuture();
        }
      }, new DeploymentOptions().setInstances(2)).await(30, TimeUnit.SECONDS);
      loops = found.toArray(new Context[0]);
    }
    return loops;
  }

  private static void chain(AtomicInteger next, int count, IntFunction<Future<Integer>> request, long[] latencies,
                            AtomicIntegerArray status, Promise<Void> done) {
    int i = next.getAndIncrement();
    if (i >= count) {
      done.complete();
      return;
    }
    long sent = System.nanoTime();
    request.apply(i).onComplete(result -> {
      latencies[i] = System.nanoTime() - sent;
      status.set(i, result.succeeded() ? result.result() : -1);
      chain(next, count, request, latencies, status, done);
    });
  }

  static double percentile(long[] sorted, double p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return Math.round(sorted[Math.max(0, index)] / 1e4) / 100.0;
  }
}
