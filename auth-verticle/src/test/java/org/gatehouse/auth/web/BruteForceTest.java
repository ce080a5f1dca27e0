package org.gatehouse.auth.web;

import org.gatehouse.auth.accounts.SignIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.vertx.sqlclient.Tuple;
import org.gatehouse.auth.AuthTestServer;
import org.gatehouse.common.testing.LogCapture;
import org.gatehouse.common.testing.MutableClock;
import org.gatehouse.common.testing.TestBrowser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a guesser gains by sending its guesses at the same moment, through the real pages: nothing beyond the
 * bursts of the limits. The hashes cost what they cost in production, so a check takes long enough for
 * guesses sent together to overlap, as they would against a real server.
 */
class BruteForceTest {
  static final String PASSWORD = "correct horse battery";
  static final int PER_ACCOUNT_BURST = 5;
  static final int PER_ADDRESS_BURST = 30;
  static final int WRONG_CODES_PER_ADDRESS_BURST = 10;
  static final int WRONG_CODES_CLUSTER_BURST = 20;
  static AuthTestServer auth;
  /** Sends every request at once: the test client's default pool would send five at a time. */
  static WebClient parallel;
  static String deviceClient;

  @BeforeAll
  static void start() throws Exception {
    auth = AuthTestServer.start(Map.of(
            "password_hashing", Map.of("memory_kib", 19456, "iterations", 2, "parallelism", 1),
            "sign_in_limits", Map.of(
                "per_account", Map.of("per_second", "0.05", "burst", PER_ACCOUNT_BURST),
                "per_address", Map.of("per_second", "0.5", "burst", PER_ADDRESS_BURST)),
            "device_grant", Map.of("wrong_codes", Map.of(
                "per_address", Map.of("per_second", "0.05", "burst", WRONG_CODES_PER_ADDRESS_BURST),
                "cluster", Map.of("per_second", "0.01", "burst", WRONG_CODES_CLUSTER_BURST)))),
        MutableClock.startingNow(), List.of("127.0.0.1"));
    parallel = WebClient.create(auth.server().vertx(), new WebClientOptions().setFollowRedirects(false),
        new PoolOptions().setHttp1MaxSize(64));
    deviceClient = auth.client().post("/oauth2/registration").sendJsonObject(new JsonObject()
            .put("client_name", "New device app").put("client_uri", "https://qr.example.org/")
            .put("token_endpoint_auth_method", "none")
            .put("grant_types", new JsonArray().add("urn:ietf:params:oauth:grant-type:device_code")))
        .await(10, TimeUnit.SECONDS).bodyAsJsonObject().getString("client_id");
  }

  @AfterAll
  static void stop() {
    auth.close();
  }

  @BeforeEach
  void everyBucketFull() {
    // Every test browses from the same addresses: let every limit refill for the next one.
    auth.clock().advance(Duration.ofHours(1));
  }

  private static double passwordChecks() {
    Counter counter = auth.server().meters().find("gatehouse.auth.sign_in.password_checks").counter();
    return counter == null ? 0 : counter.count();
  }

  private static String csrf(String html) {
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"").matcher(html);
    return m.find() ? m.group(1) : null;
  }

  private static String newUser() throws Exception {
    String user = "bf-" + UUID.randomUUID().toString().substring(0, 8);
    auth.createUser(user, PASSWORD, false);
    return user;
  }

  /** A browser that has loaded {@code path} (a session and its CSRF token); the page's token. */
  private record Loaded(TestBrowser browser, String csrf) {
    HttpRequest<Buffer> post(String path) {
      HttpRequest<Buffer> request = parallel.postAbs(auth.baseUrl() + path);
      StringBuilder cookie = new StringBuilder();
      browser.cookies().forEach((k, v) -> cookie.append(cookie.length() == 0 ? "" : "; ").append(k).append('=').append(v));
      return request.putHeader("Cookie", cookie.toString());
    }
  }

  private static List<Loaded> browsersAt(String path, int count) throws Exception {
    List<Loaded> loaded = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      TestBrowser browser = new TestBrowser(auth.client(), auth.baseUrl());
      loaded.add(new Loaded(browser, csrf(browser.get(path).bodyAsString())));
    }
    return loaded;
  }

  /** Sends one request per browser, all at once, and waits for every answer. */
  private static List<HttpResponse<Buffer>> allAtOnce(List<Loaded> browsers,
                                                      Function<Loaded, Future<HttpResponse<Buffer>>> send)
      throws Exception {
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    browsers.forEach(b -> sent.add(send.apply(b)));
    Future.all(sent).await(120, TimeUnit.SECONDS);
    return sent.stream().map(Future::result).toList();
  }

  private static long withStatus(List<HttpResponse<Buffer>> answers, int status) {
    return answers.stream().filter(a -> a.statusCode() == status).count();
  }

  private static Future<HttpResponse<Buffer>> signIn(Loaded browser, String username, String password) {
    return browser.post("/login").sendForm(MultiMap.caseInsensitiveMultiMap().add("csrf", browser.csrf())
        .add("next", "/account").add("username", username).add("password", password));
  }

  @Test
  void fiftyWrongPasswordsSentAtOnceForOneAccountHaveOnlyTheAccountBurstChecked() throws Exception {
    String victim = newUser();
    List<Loaded> attackers = browsersAt("/login", 50);
    double before = passwordChecks();

    List<HttpResponse<Buffer>> answers = allAtOnce(attackers, b -> signIn(b, victim, "guess " + UUID.randomUUID()));

    double checked = passwordChecks() - before;
    assertThat(checked).isBetween(1.0, (double) PER_ACCOUNT_BURST);
    assertThat(withStatus(answers, 401)).isEqualTo((long) checked);
    assertThat(withStatus(answers, 429)).isEqualTo(50 - (long) checked);
    answers.stream().filter(a -> a.statusCode() == 429)
        .forEach(a -> assertThat(Long.parseLong(a.getHeader("Retry-After"))).isPositive());
    // The limit holds for the right password too, and checks nothing.
    assertThat(signIn(attackers.get(0), victim, PASSWORD).await(30, TimeUnit.SECONDS).statusCode()).isEqualTo(429);
    assertThat(passwordChecks() - before).isEqualTo(checked);
  }

  @Test
  void onePasswordSprayedOverFiftyAccountsAtOnceFromOneAddressHasOnlyTheAddressBurstChecked() throws Exception {
    List<Loaded> attackers = browsersAt("/login", 50);
    double before = passwordChecks();

    List<HttpResponse<Buffer>> answers = allAtOnce(attackers,
        b -> signIn(b, "someone-" + UUID.randomUUID().toString().substring(0, 8), "Summer2026!"));

    double checked = passwordChecks() - before;
    assertThat(checked).isBetween(1.0, (double) PER_ADDRESS_BURST);
    assertThat(withStatus(answers, 401) + withStatus(answers, 429)).isEqualTo(50);
  }

  @Test
  void aPersonSigningInAgainAndAgainIsNotLimitedByTheirOwnSuccesses() throws Exception {
    String user = newUser();
    for (int i = 0; i < PER_ACCOUNT_BURST * 2; i++) {
      Loaded browser = browsersAt("/login", 1).get(0);
      assertThat(signIn(browser, user, PASSWORD).await(30, TimeUnit.SECONDS).statusCode()).as("sign-in " + i)
          .isEqualTo(303);
    }
  }

  @Test
  void anImportedHashThatCostsTooMuchIsNeverVerifiedAndTheOperatorIsToldOnce() throws Exception {
    String user = newUser();
    // Written straight into the database, as an older version or a migration script could have: an import is
    // refused now (AccountServiceTest). Verifying it would take 2^31 bcrypt rounds per attempt.
    String costly = "$2b$31$" + "a".repeat(53);
    auth.server().pool().preparedQuery("UPDATE auth.users SET password_hash = $2 WHERE localpart = $1")
        .execute(Tuple.of(user, costly)).await(10, TimeUnit.SECONDS);
    try (LogCapture log = new LogCapture(SignIn.class.getName())) {
      for (int i = 0; i < 2; i++) {
        Loaded browser = browsersAt("/login", 1).get(0);
        long started = System.nanoTime();
        HttpResponse<Buffer> answer = signIn(browser, user, PASSWORD).await(30, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      }
      assertThat(log.lines()).filteredOn(line -> line.contains("@" + user + ":")).singleElement()
          .satisfies(line -> assertThat(line).contains("bcrypt cost 31 is above the limit of 14"));
    }
  }

  private static Future<HttpResponse<Buffer>> typeCode(Loaded browser, String code, String address) {
    HttpRequest<Buffer> request = browser.post("/link");
    if (address != null) {
      request.putHeader("X-Forwarded-For", address);
    }
    return request.sendForm(MultiMap.caseInsensitiveMultiMap().add("csrf", browser.csrf()).add("code", code));
  }

  /** A code that is never issued: user codes have no vowels. */
  private static String wrongCode(int i) {
    return String.format("BCDF-%04d", i).replace('0', 'G').replace('1', 'H').replace('2', 'J').replace('3', 'K')
        .replace('4', 'L').replace('5', 'M').replace('6', 'N').replace('7', 'P').replace('8', 'Q').replace('9', 'R');
  }

  @Test
  void fiftyWrongDeviceCodesSentAtOnceFromOneAddressHaveOnlyTheBurstLookedUp() throws Exception {
    List<Loaded> attackers = browsersAt("/link", 50);
    List<HttpResponse<Buffer>> answers = new ArrayList<>();
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < attackers.size(); i++) {
      sent.add(typeCode(attackers.get(i), wrongCode(i), null));
    }
    Future.all(sent).await(60, TimeUnit.SECONDS);
    sent.forEach(f -> answers.add(f.result()));

    // 400 is "looked up and not found": no more of those than the burst.
    assertThat(withStatus(answers, 400)).isBetween(1L, (long) WRONG_CODES_PER_ADDRESS_BURST);
    assertThat(withStatus(answers, 400) + withStatus(answers, 429)).isEqualTo(50);
    answers.stream().filter(a -> a.statusCode() == 429)
        .forEach(a -> assertThat(Long.parseLong(a.getHeader("Retry-After"))).isPositive());
  }

  @Test
  void wrongDeviceCodesFromManyAddressesTogetherStopAtTheClusterWideCap() throws Exception {
    int addresses = 10;
    int perAddress = 3;
    List<Loaded> attackers = browsersAt("/link", addresses * perAddress);
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < attackers.size(); i++) {
      // Each address stays under its own limit (3 of 10); together they are 30.
      sent.add(typeCode(attackers.get(i), wrongCode(100 + i), "198.51.100." + (i % addresses + 1)));
    }
    Future.all(sent).await(60, TimeUnit.SECONDS);
    List<HttpResponse<Buffer>> answers = sent.stream().map(Future::result).toList();

    assertThat(withStatus(answers, 400)).isEqualTo(WRONG_CODES_CLUSTER_BURST);
    assertThat(withStatus(answers, 429)).isEqualTo(addresses * perAddress - WRONG_CODES_CLUSTER_BURST);
  }

  @Test
  void aPersonOpeningTheirOwnCodeAgainAndAgainIsNotLimited() throws Exception {
    String code = auth.client().post("/oauth2/device").sendForm(MultiMap.caseInsensitiveMultiMap()
            .add("client_id", deviceClient).add("scope", "urn:matrix:client:api:* urn:matrix:client:device:RIGHTCODE01"))
        .await(10, TimeUnit.SECONDS).bodyAsJsonObject().getString("user_code");
    Loaded browser = browsersAt("/link", 1).get(0);
    for (int i = 0; i < WRONG_CODES_PER_ADDRESS_BURST * 2; i++) {
      HttpResponse<Buffer> answer = typeCode(browser, code, "203.0.113.9").await(30, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).as("attempt " + i).isEqualTo(303);
    }
  }
}
