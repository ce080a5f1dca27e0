package org.gatehouse.homeserver.synapse;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.gatehouse.common.homeserver.ServiceAdminTokens;
import org.gatehouse.homeserver.HomeserverConfig;
import org.gatehouse.common.homeserver.HomeserverCalls.ClientRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synapse's internal API for its delegated auth server, {@code /_synapse/mas/*} (Synapse 1.136 and later): every
 * call carries the shared secret as a bearer token and a JSON body. One call, suspension, has no such endpoint and
 * goes to Synapse's admin API with a token of Gatehouse's service account. Answers are classified for the caller
 * ({@link SynapseAnswer}); neither the secret nor a token is ever logged. For Gatehouse's discovery it also asks
 * Synapse's client API on a client's behalf ({@link #clientGet}), with the client's token instead of the secret.
 */
public final class SynapseClient {
  private static final Logger LOG = LoggerFactory.getLogger(SynapseClient.class);
  /** Synapse refuses longer device names with {@code 400 M_TOO_LARGE}. */
  public static final int MAX_DEVICE_NAME = 100;
  /** The outbox's name for {@link #suspend}, which is not an endpoint of {@code /_synapse/mas/}. */
  public static final String SUSPEND = "admin_suspend";

  private final WebClient client;
  private final URI endpoint;
  private final String secret;
  private final long timeoutMs;

  private final ServiceAdminTokens serviceTokens;
  private final Clock clock;

  public SynapseClient(Vertx vertx, URI endpoint, String secret, Duration requestTimeout, Duration connectTimeout,
                       ServiceAdminTokens serviceTokens, Clock clock) {
    this.client = WebClient.create(vertx, new WebClientOptions()
        .setConnectTimeout((int) connectTimeout.toMillis())
        .setUserAgent("Gatehouse")
        .setKeepAlive(true)
        .setFollowRedirects(false));
    this.endpoint = endpoint;
    this.secret = secret;
    this.timeoutMs = requestTimeout.toMillis();
    this.serviceTokens = serviceTokens;
    this.clock = clock;
  }

  /** The client for {@code config}'s homeserver, acting as its service account on the admin API. */
  public static SynapseClient of(Vertx vertx, HomeserverConfig config, Clock clock) {
    return new SynapseClient(vertx, config.endpoint(), config.secret(), config.requestTimeout(),
        config.connectTimeout(), new ServiceAdminTokens(config.secret(), config.serviceAccount()), clock);
  }

  public Future<SynapseAnswer> isLocalpartAvailable(String localpart) {
    return send(HttpMethod.GET, "is_localpart_available?localpart=" + URLEncoder.encode(localpart,
        StandardCharsets.UTF_8), null);
  }

  /**
   * Creates or updates the user. {@code displayName} null leaves it as it is (Synapse defaults a new user's to the
   * localpart); {@code locked} null leaves the lock state alone.
   */
  public Future<SynapseAnswer> provisionUser(String localpart, String displayName, Boolean locked) {
    JsonObject body = new JsonObject().put("localpart", localpart);
    if (displayName != null) {
      body.put("set_displayname", displayName);
    }
    if (locked != null) {
      body.put("locked", locked);
    }
    return post("provision_user", body);
  }

  public Future<SynapseAnswer> upsertDevice(String localpart, String deviceId, String displayName) {
    JsonObject body = new JsonObject().put("localpart", localpart).put("device_id", deviceId);
    if (displayName != null) {
      body.put("display_name", deviceName(displayName));
    }
    return post("upsert_device", body);
  }

  public Future<SynapseAnswer> deleteDevice(String localpart, String deviceId) {
    return post("delete_device", new JsonObject().put("localpart", localpart).put("device_id", deviceId));
  }

  public Future<SynapseAnswer> updateDeviceDisplayName(String localpart, String deviceId, String displayName) {
    return post("update_device_display_name", new JsonObject().put("localpart", localpart).put("device_id", deviceId)
        .put("display_name", deviceName(displayName)));
  }

  /** Deletes every device of the user that is not listed (but a dehydrated one) and creates the missing ones. */
  public Future<SynapseAnswer> syncDevices(String localpart, List<String> deviceIds) {
    return post("sync_devices", new JsonObject().put("localpart", localpart).put("devices", new JsonArray(deviceIds)));
  }

  public Future<SynapseAnswer> deleteUser(String localpart, boolean erase) {
    return post("delete_user", new JsonObject().put("localpart", localpart).put("erase", erase));
  }

  public Future<SynapseAnswer> allowCrossSigningReset(String localpart) {
    return post("allow_cross_signing_reset", new JsonObject().put("localpart", localpart));
  }

  /**
   * Suspends the user or lifts the suspension (MSC3823), through Synapse's admin API as Gatehouse's service account:
   * Synapse enforces suspension from its own state, and its internal API for the auth server has no such call.
   */
  public Future<SynapseAnswer> suspend(String userId, boolean suspend) {
    String url = endpoint.resolve("_synapse/admin/v1/suspend/" + URLEncoder.encode(userId, StandardCharsets.UTF_8)
        .replace("+", "%20")).toString();
    HttpRequest<Buffer> request = client.requestAbs(HttpMethod.PUT, url)
        .bearerTokenAuthentication(serviceTokens.mint(clock.instant()))
        .putHeader("Accept", "application/json")
        .timeout(timeoutMs);
    return request.sendJsonObject(new JsonObject().put("suspend", suspend))
        .map(response -> classify(SUSPEND, response))
        .otherwise(failure -> new SynapseAnswer.Unavailable(SUSPEND + ": " + failure.getMessage()));
  }

  /** A queued call: the operation is the endpoint's name, the body exactly what it takes. */
  public Future<SynapseAnswer> post(String operation, JsonObject body) {
    return send(HttpMethod.POST, operation, body);
  }

  private Future<SynapseAnswer> send(HttpMethod method, String pathAndQuery, JsonObject body) {
    String url = endpoint.resolve("_synapse/mas/" + pathAndQuery).toString();
    HttpRequest<Buffer> request = client.requestAbs(method, url)
        .bearerTokenAuthentication(secret)
        .putHeader("Accept", "application/json")
        .timeout(timeoutMs);
    Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendJsonObject(body);
    String operation = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
    return sent.map(response -> classify(operation, response))
        .otherwise(failure -> new SynapseAnswer.Unavailable(operation + ": " + failure.getMessage()));
  }

  private static SynapseAnswer classify(String operation, HttpResponse<Buffer> response) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return new SynapseAnswer.Done(status);
    }
    String errcode = "M_UNKNOWN";
    String error = "";
    try {
      JsonObject json = response.bodyAsJsonObject();
      if (json != null) {
        errcode = json.getString("errcode", errcode);
        error = json.getString("error", error);
      }
    } catch (DecodeException | ClassCastException e) {
      error = "(not a Matrix error body)";
    }
    if (status == 429 || status >= 500) {
      return new SynapseAnswer.Unavailable(operation + ": HTTP " + status + " " + errcode + " " + error);
    }
    if (SUSPEND.equals(operation) && (status == 401 || status == 403)) {
      // Synapse introspected the service account's token at Gatehouse and did not take it as an admin's.
      LOG.error("the homeserver refused Gatehouse's service account on its admin API ({} {}): it must introspect "
          + "tokens at this Gatehouse with the shared secret", status, errcode);
      return new SynapseAnswer.Unavailable(operation + ": the homeserver refused the service account (HTTP " + status
          + ")");
    }
    if (status == 401 || status == 403) {
      // Synapse: no token 401 M_MISSING_TOKEN, a wrong one 403 "This endpoint must only be called by MAS".
      LOG.error("the homeserver refused Gatehouse's call to {} with {} {}: homeserver.secret must equal Synapse's "
          + "matrix_authentication_service.secret", operation, status, errcode);
      return new SynapseAnswer.Unavailable(operation + ": the homeserver refused the shared secret (HTTP " + status + ")");
    }
    return new SynapseAnswer.Refused(status, errcode, error);
  }

  /**
   * {@code GET} of Synapse's client-server API on a client's behalf ({@code path} relative to the endpoint, such as
   * {@code _matrix/client/versions}). It carries the client's token (never the shared secret), and the client's
   * address, scheme ({@code forwardedProto}), user agent and request id as the proxy would have sent them: Synapse
   * records the address and user agent for the token's device. Neither the token nor the body is logged.
   */
  public Future<ClientApiAnswer> clientGet(String path, ClientRequest caller, String forwardedProto) {
    HttpRequest<Buffer> request = client.requestAbs(HttpMethod.GET, endpoint.resolve(path).toString())
        .putHeader("Accept", "application/json")
        .putHeader("X-Forwarded-Proto", forwardedProto)
        .timeout(timeoutMs);
    if (caller.accessToken() != null) {
      request.bearerTokenAuthentication(caller.accessToken());
    }
    if (caller.address() != null) {
      request.putHeader("X-Forwarded-For", caller.address());
    }
    if (caller.userAgent() != null) {
      request.putHeader("User-Agent", caller.userAgent());
    }
    if (caller.requestId() != null) {
      request.putHeader("X-Request-Id", caller.requestId());
    }
    return request.send()
        .map(response -> clientAnswer(path, response))
        .otherwise(failure -> new ClientApiAnswer.Unavailable(path + ": " + failure.getMessage()));
  }

  private static ClientApiAnswer clientAnswer(String path, HttpResponse<Buffer> response) {
    int status = response.statusCode();
    if (status >= 500) {
      return new ClientApiAnswer.Unavailable(path + ": HTTP " + status);
    }
    JsonObject body;
    try {
      body = response.bodyAsJsonObject();
    } catch (DecodeException | ClassCastException e) {
      body = null;
    }
    if (body == null) {
      return new ClientApiAnswer.Unavailable(path + ": HTTP " + status + " without a JSON object (is "
          + "homeserver.endpoint Synapse's client listener?)");
    }
    return new ClientApiAnswer.Answered(status, body, response.getHeader("Cache-Control"));
  }

  /** At most {@link #MAX_DEVICE_NAME} characters, never cutting a character outside the BMP in two. */
  static String deviceName(String name) {
    if (name.length() <= MAX_DEVICE_NAME) {
      return name;
    }
    int end = Character.isHighSurrogate(name.charAt(MAX_DEVICE_NAME - 1)) ? MAX_DEVICE_NAME - 1 : MAX_DEVICE_NAME;
    return name.substring(0, end);
  }

  public void close() {
    client.close();
  }
}
