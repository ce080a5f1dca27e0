package org.gatehouse.auth.appservice;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gatehouse.auth.AuthTestServer;
import org.gatehouse.common.testing.MutableClock;

/**
 * The auth module with appservices registered from files, as the appservice tests start it, and the requests they
 * make: with an appservice's (or a user's) token, registering a user in an appservice's namespace, and the check of
 * a Matrix error.
 */
final class AppserviceServer {
  /** One appservice's registration file: its name and its text ({@link RegistrationFilesTest#registration}, perhaps edited). */
  record Registration(String name, String yaml) {
  }

  private AppserviceServer() {
  }

  /**
   * Writes each registration to {@code dir} and starts the auth module with them as
   * {@code appservices.registration_files}, and {@code settings} as the other keys of that section.
   */
  static AuthTestServer start(Path dir, Map<String, Object> settings, Registration... registrations) throws Exception {
    List<String> files = new ArrayList<>();
    for (Registration registration : registrations) {
      Path file = dir.resolve(registration.name() + ".yaml");
      Files.writeString(file, registration.yaml());
      files.add(file.toString());
    }
    Map<String, Object> appservices = new HashMap<>(settings);
    appservices.put("registration_files", files);
    return AuthTestServer.start(Map.of("appservices", appservices), MutableClock.startingNow());
  }

  /** {@code method path} on {@code auth} with {@code token} as the bearer token and {@code body} as JSON (each if not null). */
  static HttpResponse<Buffer> call(AuthTestServer auth, HttpMethod method, String path, String token, JsonObject body)
      throws Exception {
    HttpRequest<Buffer> request = auth.client().request(method, path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return (body == null ? request.send() : request.sendJsonObject(body)).await(10, TimeUnit.SECONDS);
  }

  /** Registers {@code localpart} as the appservice of {@code token} does (without logging in); the new user's ID. */
  static String register(AuthTestServer auth, String token, String localpart) throws Exception {
    HttpResponse<Buffer> response = call(auth, HttpMethod.POST, "/_matrix/client/v3/register", token, new JsonObject()
        .put("type", "m.login.application_service").put("username", localpart).put("inhibit_login", true));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getString("user_id");
  }

  static void assertError(HttpResponse<Buffer> response, int status, String errcode) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.bodyAsJsonObject().getString("errcode")).isEqualTo(errcode);
  }
}
