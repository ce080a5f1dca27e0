package org.gatehouse.common.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Matrix client signing in through Gatehouse's real pages, as a browser without JavaScript would: it
 * registers a public client, opens the authorization URL, follows redirects, submits the sign-in and consent
 * forms (with their CSRF tokens) and exchanges the code with PKCE. Tests use it to get real tokens.
 */
public final class OAuthTestClient {
  public static final String REDIRECT = "http://127.0.0.1/callback";
  private static final Pattern HIDDEN = Pattern.compile("name=\"(csrf|next|id)\" value=\"([^\"]*)\"");

  private final WebClient http;
  private final String base;

  /** Tokens of one signed-in session. */
  public record Tokens(String clientId, String deviceId, String accessToken, String refreshToken, JsonObject response) {
  }

  public OAuthTestClient(Vertx vertx, String baseUrl) {
    this.http = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  public String base() {
    return base;
  }

  /** Registers a public native client with a loopback redirect; returns its client_id. */
  public String registerClient() throws Exception {
    return registerClient("Test client");
  }

  /**
   * Registers a public client named {@code name}. Public clients with identical metadata share a client_id, so
   * a test that needs two different clients gives them different names.
   */
  public String registerClient(String name) throws Exception {
    JsonObject metadata = new JsonObject()
        .put("client_name", name)
        .put("client_uri", "https://client.example.org/")
        .put("application_type", "native")
        .put("redirect_uris", new JsonArray().add(REDIRECT))
        .put("token_endpoint_auth_method", "none")
        .put("grant_types", new JsonArray().add("authorization_code").add("refresh_token"))
        .put("response_types", new JsonArray().add("code"));
    HttpResponse<Buffer> response = http.postAbs(base + "/oauth2/registration").sendJsonObject(metadata)
        .await(30, TimeUnit.SECONDS);
    if (response.statusCode() != 201) {
      throw new IllegalStateException("registration failed: " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject().getString("client_id");
  }

  /** Signs {@code username} in with a new client and a random device; returns the tokens. */
  public Tokens signIn(String username, String password) throws Exception {
    return signIn(registerClient(), username, password, "DEV" + UUID.randomUUID().toString().replace("-", "").substring(0, 12),
        "");
  }

  /**
   * Signs an administrator in as an admin tool does: a new client asking for the API, a random device and the admin
   * scope {@code urn:synapse:admin:*}, without which an administrator's token has no admin powers.
   */
  public Tokens signInAsAdministrator(String username, String password) throws Exception {
    return signIn(registerClient("Admin tool"), username, password,
        "ADM" + UUID.randomUUID().toString().replace("-", "").substring(0, 12), "urn:synapse:admin:*");
  }

  /** An authorization code as the client received it, with what it needs to exchange it. */
  public record Authorization(String clientId, String deviceId, String code, String verifier, String redirectUri,
                              Map<String, String> callback) {
  }

  /** The whole authorization-code flow for {@code deviceId} with extra scope tokens (e.g. "openid"). */
  public Tokens signIn(String clientId, String username, String password, String deviceId, String extraScope)
      throws Exception {
    return exchange(authorize(clientId, username, password, deviceId, extraScope));
  }

  /** Exchanges an authorization code; fails unless the token endpoint answers 200. */
  public Tokens exchange(Authorization authorization) throws Exception {
    HttpResponse<Buffer> token = exchangeResponse(authorization, authorization.redirectUri(), authorization.verifier());
    if (token.statusCode() != 200) {
      throw new IllegalStateException("token exchange failed: " + token.statusCode() + " " + token.bodyAsString());
    }
    JsonObject body = token.bodyAsJsonObject();
    return new Tokens(authorization.clientId(), authorization.deviceId(), body.getString("access_token"),
        body.getString("refresh_token"), body);
  }

  /**
   * {@code POST /oauth2/token} for a code, with the given redirect URI (none if null) and verifier, whatever the
   * answer.
   */
  public HttpResponse<Buffer> exchangeResponse(Authorization authorization, String redirectUri, String verifier)
      throws Exception {
    MultiMap form = MultiMap.caseInsensitiveMultiMap()
        .add("grant_type", "authorization_code").add("code", authorization.code())
        .add("client_id", authorization.clientId()).add("code_verifier", verifier);
    if (redirectUri != null) {
      form.add("redirect_uri", redirectUri);
    }
    return http.postAbs(base + "/oauth2/token").sendForm(form).await(30, TimeUnit.SECONDS);
  }

  /** Authorization up to the code: sign-in and consent through the pages. */
  public Authorization authorize(String clientId, String username, String password, String deviceId, String extraScope)
      throws Exception {
    return authorizeWithScope(clientId, username, password, deviceId,
        ("urn:matrix:client:api:* urn:matrix:client:device:" + deviceId + " " + extraScope).trim());
  }

  /** The whole authorization-code flow asking for exactly {@code scope}, which names {@code deviceId}. */
  public Tokens signInWithScope(String clientId, String username, String password, String deviceId, String scope)
      throws Exception {
    return exchange(authorizeWithScope(clientId, username, password, deviceId, scope));
  }

  /** Authorization up to the code, asking for exactly {@code scope} (which names {@code deviceId}, if any). */
  public Authorization authorizeWithScope(String clientId, String username, String password, String deviceId,
                                          String scope) throws Exception {
    return authorize(clientId, username, password, deviceId, scope, true);
  }

  /**
   * Authorization up to the code with a request that names no {@code redirect_uri} (allowed for a client with one
   * registered redirect URI, such as {@link #registerClient()}'s): the code comes back to {@link #REDIRECT}.
   */
  public Authorization authorizeWithoutRedirectUri(String clientId, String username, String password, String deviceId)
      throws Exception {
    return authorize(clientId, username, password, deviceId, "urn:matrix:client:api:* urn:matrix:client:device:"
        + deviceId, false);
  }

  private Authorization authorize(String clientId, String username, String password, String deviceId, String scope,
                                  boolean sendRedirect) throws Exception {
    TestBrowser browser = new TestBrowser(http, base);
    String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
    String challenge = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    String redirect = sendRedirect ? "http://127.0.0.1:" + (40000 + (int) (Math.random() * 1000)) + "/callback"
        : REDIRECT;
    String authorize = base + "/oauth2/authorize?response_type=code&client_id=" + enc(clientId)
        + (sendRedirect ? "&redirect_uri=" + enc(redirect) : "") + "&scope=" + enc(scope)
        + "&state=st8&code_challenge=" + challenge + "&code_challenge_method=S256";
    String location = follow(browser, authorize);
    // Sign in if the browser session is not signed in yet.
    if (location.contains("/login")) {
      HttpResponse<Buffer> page = browser.get(location);
      Map<String, String> hidden = hidden(page.bodyAsString());
      HttpResponse<Buffer> posted = browser.post("/login", MultiMap.caseInsensitiveMultiMap()
          .add("csrf", hidden.get("csrf")).add("next", hidden.get("next")).add("username", username)
          .add("password", password));
      if (posted.statusCode() != 303) {
        throw new IllegalStateException("sign-in failed: " + posted.statusCode() + " " + posted.bodyAsString());
      }
      location = posted.getHeader("Location");
    }
    HttpResponse<Buffer> consentPage = browser.get(location);
    if (consentPage.statusCode() != 200) {
      throw new IllegalStateException("consent page: " + consentPage.statusCode() + " " + consentPage.bodyAsString());
    }
    Map<String, String> hidden = hidden(consentPage.bodyAsString());
    HttpResponse<Buffer> consented = browser.post("/oauth2/consent", MultiMap.caseInsensitiveMultiMap()
        .add("csrf", hidden.get("csrf")).add("id", hidden.get("id")).add("action", "allow"));
    String callback = consented.getHeader("Location");
    if (callback == null || !callback.startsWith(redirect)) {
      throw new IllegalStateException("consent did not redirect to the client: " + consented.statusCode() + " " + callback);
    }
    Map<String, String> params = query(URI.create(callback).getRawQuery());
    return new Authorization(clientId, deviceId, params.get("code"), verifier, redirect, params);
  }

  /** {@code POST /oauth2/token} with grant_type=refresh_token. */
  public HttpResponse<Buffer> refresh(Tokens tokens, String refreshToken) throws Exception {
    return http.postAbs(base + "/oauth2/token").sendForm(MultiMap.caseInsensitiveMultiMap()
        .add("grant_type", "refresh_token").add("refresh_token", refreshToken).add("client_id", tokens.clientId()))
        .await(30, TimeUnit.SECONDS);
  }

  /** {@code GET} with the bearer token. */
  public HttpResponse<Buffer> get(String path, String accessToken) throws Exception {
    return http.getAbs(base + path).bearerTokenAuthentication(accessToken).send().await(30, TimeUnit.SECONDS);
  }

  /** Opens the authorization URL: where the browser lands next, the sign-in page or the consent page. */
  private String follow(TestBrowser browser, String authorizeUrl) throws Exception {
    HttpResponse<Buffer> authorize = browser.get(authorizeUrl);
    if (authorize.statusCode() != 303) {
      throw new IllegalStateException("authorize: expected 303, got " + authorize.statusCode() + ": "
          + authorize.bodyAsString());
    }
    String consent = authorize.getHeader("Location");
    HttpResponse<Buffer> page = browser.get(consent);
    return page.statusCode() == 303 ? page.getHeader("Location") : consent;
  }

  private static Map<String, String> hidden(String html) {
    Map<String, String> values = new HashMap<>();
    Matcher m = HIDDEN.matcher(html);
    while (m.find()) {
      values.putIfAbsent(m.group(1), m.group(2).replace("&amp;", "&"));
    }
    return values;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> params = new HashMap<>();
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

}
