package org.gatehouse.auth.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
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
import org.gatehouse.auth.AuthTestServer;
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
  static AuthTestServer auth;
  /** Sends every request at once: the test client's default pool would send five at a time. */
  static WebClient parallel;

  @BeforeAll
  static void start() throws Exception {
    auth = AuthTestServer.start(Map.of(
            "password_hashing", Map.of("memory_kib", 19456, "iterations", 2, "parallelism", 1),
            "sign_in_limits", Map.of(
                "per_account", Map.of("per_second", "0.05", "burst", PER_ACCOUNT_BURST),
                "per_address", Map.of("per_second", "0.5", "burst", PER_ADDRESS_BURST))),
        MutableClock.startingNow());
    parallel = WebClient.create(auth.server().vertx(), new WebClientOptions().setFollowRedirects(false),
        new PoolOptions().setHttp1MaxSize(64));
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
}
