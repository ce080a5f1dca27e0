import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seeds the OAuth benchmark through the real endpoints: refresh tokens are single use and revocation ends a
 * session, so every refresh or revocation request of a run needs a session of its own, made beforehand.
 *
 *   java -cp server/target/gatehouse.jar bench/oauth/OAuthBench.java seed BASE_URL USERNAME PASSWORD_FILE BROWSERS \
 *       OUT_DIR POOL...
 *
 * registers one public client, then BROWSERS browsers (each with its own cookie jar) sign USERNAME in once through
 * the sign-in page and run authorization-code flows (authorize, consent page, allow, code exchange with PKCE) until
 * every pool is full. Each new access token is used once (whoami), as a client does before it refreshes or signs
 * out: that is what puts it in the nodes' near caches, so refreshing or revoking it makes the node invalidate it
 * cluster-wide. A POOL is NAME:refresh:COUNT or NAME:access:COUNT; OUT_DIR/NAME.txt gets COUNT refresh tokens or
 * access tokens, one per line, and OUT_DIR/client_id the client's id. Prints one line with the rate.
 */
public final class OAuthBench {
  static final String REDIRECT_URI = "http://127.0.0.1/callback";
  static final Pattern HIDDEN = Pattern.compile("name=\"(csrf|next|id)\" value=\"([^\"]*)\"");
  static final SecureRandom RANDOM = new SecureRandom();

  record Pool(String name, boolean refresh, int count, String[] tokens) {
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 7 || !args[0].equals("seed")) {
      throw new IllegalArgumentException("usage: seed BASE_URL USERNAME PASSWORD_FILE BROWSERS OUT_DIR POOL...");
    }
    String base = args[1].replaceAll("/$", "");
    String username = args[2];
    String password = Files.readAllLines(Path.of(args[3])).get(0);
    int browsers = Integer.parseInt(args[4]);
    Path out = Path.of(args[5]);
    List<Pool> pools = new ArrayList<>();
    for (String spec : Arrays.copyOfRange(args, 6, args.length)) {
      String[] parts = spec.split(":");
      int count = Integer.parseInt(parts[2]);
      pools.add(new Pool(parts[0], parts[1].equals("refresh"), count, new String[count]));
    }
    Vertx vertx = Vertx.vertx();
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(browsers * 2));
    try {
      long started = System.nanoTime();
      Seeder seeder = new Seeder(http, base, username, password, pools);
      Promise<Void> done = Promise.promise();
      // Requests are issued from an event loop, never from the main thread (see RendezvousBench.onContext).
      vertx.getOrCreateContext().runOnContext(v -> seeder.run(browsers).onComplete(done));
      done.future().await(60, TimeUnit.MINUTES);
      Files.createDirectories(out);
      Files.writeString(out.resolve("client_id"), seeder.clientId + "\n");
      for (Pool pool : pools) {
        Files.write(out.resolve(pool.name() + ".txt"), Arrays.asList(pool.tokens()));
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      int total = seeder.total;
      System.out.printf("seeded %d sessions (%s) with %d browsers in %.1f s (%.0f sessions/s)%n", total,
          String.join(", ", pools.stream().map(p -> p.name() + " " + p.count()).toList()), browsers, seconds,
          total / seconds);
    } finally {
      vertx.close().await();
    }
  }

  /** A response, read whole. */
  record Reply(int status, String body, String location, List<String> cookies) {
  }

  static final class Seeder {
    final HttpClient http;
    final String base;
    final String username;
    final String password;
    final List<Pool> pools;
    final int total;
    final AtomicInteger next = new AtomicInteger();
    String clientId;

    Seeder(HttpClient http, String base, String username, String password, List<Pool> pools) {
      this.http = http;
      this.base = base;
      this.username = username;
      this.password = password;
      this.pools = pools;
      this.total = pools.stream().mapToInt(Pool::count).sum();
    }

    Future<Void> run(int browsers) {
      return register().compose(id -> {
        clientId = id;
        List<Future<Void>> running = new ArrayList<>();
        for (int i = 0; i < browsers; i++) {
          running.add(new Browser(this).seedUntilFull());
        }
        return Future.all(running).mapEmpty();
      });
    }

    Future<String> register() {
      JsonObject metadata = new JsonObject()
          .put("client_name", "Gatehouse benchmark")
          .put("client_uri", "https://bench.example.org/")
          .put("application_type", "native")
          .put("redirect_uris", new JsonArray().add(REDIRECT_URI))
          .put("token_endpoint_auth_method", "none")
          .put("grant_types", new JsonArray().add("authorization_code").add("refresh_token"))
          .put("response_types", new JsonArray().add("code"));
      return send(HttpMethod.POST, base + "/oauth2/registration", Map.of("Content-Type", "application/json"),
          metadata.encode()).map(reply -> new JsonObject(expect(reply, 201, "registration").body()).getString("client_id"));
    }

    /** Stores the tokens of session number {@code index} in the pool that index falls in. */
    void store(int index, JsonObject tokens) {
      for (Pool pool : pools) {
        if (index < pool.count()) {
          pool.tokens()[index] = tokens.getString(pool.refresh() ? "refresh_token" : "access_token");
          return;
        }
        index -= pool.count();
      }
    }

    Future<Reply> send(HttpMethod method, String url, Map<String, String> headers, String body) {
      RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(url);
      headers.forEach(options::putHeader);
      return http.request(options)
          .compose(request -> body == null ? request.send() : request.send(body))
          .compose(response -> response.body().map(b -> new Reply(response.statusCode(), b.toString(),
              response.getHeader("Location"), response.cookies())));
    }
  }

  /** One browser: its cookie jar, signed in on its first flow, then one flow after the other. */
  static final class Browser {
    final Seeder seeder;
    final Map<String, String> cookies = new LinkedHashMap<>();

    Browser(Seeder seeder) {
      this.seeder = seeder;
    }

    Future<Void> seedUntilFull() {
      int index = seeder.next.getAndIncrement();
      if (index >= seeder.total) {
        return Future.succeededFuture();
      }
      return session(index).compose(tokens -> {
        seeder.store(index, tokens);
        return seedUntilFull();
      });
    }

    /** One authorization-code flow through the pages, the code exchange and one use of the access token. */
    Future<JsonObject> session(int index) {
      String verifier = random(48);
      String state = random(12);
      String deviceId = String.format("BENCH%08d", index);
      String authorize = seeder.base + "/oauth2/authorize?" + form(Map.of(
          "response_type", "code", "client_id", seeder.clientId, "redirect_uri", REDIRECT_URI,
          "scope", "urn:matrix:client:api:* urn:matrix:client:device:" + deviceId, "state", state,
          "code_challenge", challenge(verifier), "code_challenge_method", "S256"));
      return get(authorize)
          .compose(toConsent -> get(expect(toConsent, 303, "authorize").location()))
          .compose(consent -> consent.status() == 303 ? signIn(consent.location()) : Future.succeededFuture(consent))
          .compose(consentPage -> {
            Map<String, String> hidden = hidden(expect(consentPage, 200, "consent page").body());
            return post("/oauth2/consent", Map.of("csrf", hidden.get("csrf"), "id", hidden.get("id"), "action", "allow"));
          })
          .compose(allowed -> {
            String callback = expect(allowed, 303, "consent").location();
            Map<String, String> params = query(URI.create(callback).getRawQuery());
            if (!callback.startsWith(REDIRECT_URI) || !state.equals(params.get("state"))) {
              throw new IllegalStateException("unexpected redirect after consent: " + callback.replaceAll("code=[^&]*", "code=…"));
            }
            return seeder.send(HttpMethod.POST, seeder.base + "/oauth2/token",
                Map.of("Content-Type", "application/x-www-form-urlencoded"), form(Map.of("grant_type",
                    "authorization_code", "code", params.get("code"), "redirect_uri", REDIRECT_URI,
                    "client_id", seeder.clientId, "code_verifier", verifier)));
          })
          .compose(exchanged -> {
            JsonObject tokens = new JsonObject(expect(exchanged, 200, "code exchange").body());
            return seeder.send(HttpMethod.GET, seeder.base + "/_matrix/client/v3/account/whoami",
                    Map.of("Authorization", "Bearer " + tokens.getString("access_token")), null)
                .map(whoami -> {
                  expect(whoami, 200, "whoami");
                  return tokens;
                });
          });
    }

    /** The sign-in page, then the form; answers the consent page the sign-in leads back to. */
    Future<Reply> signIn(String loginLocation) {
      return get(loginLocation).compose(page -> {
        Map<String, String> hidden = hidden(expect(page, 200, "sign-in page").body());
        return post("/login", Map.of("csrf", hidden.get("csrf"), "next", hidden.get("next"),
            "username", seeder.username, "password", seeder.password));
      }).compose(signedIn -> get(expect(signedIn, 303, "sign-in").location()));
    }

    Future<Reply> get(String pathOrUrl) {
      return seeder.send(HttpMethod.GET, absolute(pathOrUrl), cookieHeader(), null).map(this::remember);
    }

    Future<Reply> post(String path, Map<String, String> fields) {
      Map<String, String> headers = new HashMap<>(cookieHeader());
      headers.put("Content-Type", "application/x-www-form-urlencoded");
      return seeder.send(HttpMethod.POST, absolute(path), headers, form(fields)).map(this::remember);
    }

    private String absolute(String pathOrUrl) {
      return pathOrUrl.startsWith("http") ? pathOrUrl : seeder.base + pathOrUrl;
    }

    private Map<String, String> cookieHeader() {
      if (cookies.isEmpty()) {
        return Map.of();
      }
      StringBuilder header = new StringBuilder();
      cookies.forEach((k, v) -> header.append(header.length() == 0 ? "" : "; ").append(k).append('=').append(v));
      return Map.of("Cookie", header.toString());
    }

    /** Keeps the cookies a response sets (the server's are Secure; loopback is a secure context for browsers). */
    private Reply remember(Reply reply) {
      for (String setCookie : reply.cookies()) {
        String pair = setCookie.split(";", 2)[0];
        int eq = pair.indexOf('=');
        if (eq > 0) {
          String value = pair.substring(eq + 1).trim();
          if (value.isEmpty() || setCookie.toLowerCase().contains("max-age=0")) {
            cookies.remove(pair.substring(0, eq).trim());
          } else {
            cookies.put(pair.substring(0, eq).trim(), value);
          }
        }
      }
      return reply;
    }
  }

  static Reply expect(Reply reply, int status, String what) {
    if (reply.status() != status) {
      throw new IllegalStateException(what + ": expected " + status + ", got " + reply.status() + ": "
          + reply.body().substring(0, Math.min(300, reply.body().length())));
    }
    return reply;
  }

  static Map<String, String> hidden(String html) {
    Map<String, String> values = new HashMap<>();
    Matcher m = HIDDEN.matcher(html);
    while (m.find()) {
      values.putIfAbsent(m.group(1), m.group(2).replace("&amp;", "&"));
    }
    return values;
  }

  static Map<String, String> query(String raw) {
    Map<String, String> params = new HashMap<>();
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }

  static String form(Map<String, String> fields) {
    StringBuilder b = new StringBuilder();
    fields.forEach((k, v) -> b.append(b.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
        .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return b.toString();
  }

  static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static String challenge(String verifier) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
