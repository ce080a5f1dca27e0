package org.gatehouse.server.qrlogin;

import static org.gatehouse.server.qrlogin.RendezvousSession.await;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.gatehouse.server.qrlogin.Msc4388SecureChannel.Binding;
import org.gatehouse.server.qrlogin.Msc4388SecureChannel.Confirmed;
import org.gatehouse.server.qrlogin.Msc4388SecureChannel.Generator;

/**
 * The device being signed in, in the variant where it shows the QR code (intent {@code 0x00}) and the existing
 * device scans it: device G of MSC4388, "new device" of MSC4108. It knows no account and holds no token until the
 * device authorization grant (MSC4341) gives it one.
 */
final class NewDevice {
  static final String DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
  private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  /** What the new device ended with (not its tokens: whoami shows they work, and they stay out of reports). */
  record Outcome(String deviceId, String checkCode, String userCode, String verificationUriComplete,
                 JsonObject whoami, List<String> received, JsonObject secrets, int sessionStatusAfterDelete) {
  }

  private final WebClient http;
  private final Route route;
  private final String rendezvousServer;
  private final QrCode.Prefix prefix;
  private final Wire wire;
  private final Person person;
  private final String deviceId = randomDeviceId();
  private final List<String> received = new ArrayList<>();

  /**
   * @param rendezvousServer the homeserver base URL the device creates the session on and puts in the QR code,
   *                         exactly as it will appear there
   */
  NewDevice(WebClient http, Route route, String rendezvousServer, QrCode.Prefix prefix, Wire wire, Person person) {
    this.http = http;
    this.route = route;
    this.rendezvousServer = rendezvousServer;
    this.prefix = prefix;
    this.wire = wire;
    this.person = person;
  }

  /** The whole sign-in; on any failure the session is cancelled, so the other device learns it at once. */
  Outcome signIn() {
    // MSC4388 "Establishment" 1-3: key pair, empty session, QR code.
    Generator generator = new Generator();
    RendezvousSession session = RendezvousSession.create(http, route, rendezvousServer, prefix, wire);
    try {
      return signIn(generator, session);
    } catch (RuntimeException e) {
      session.cancel();
      throw e;
    }
  }

  private Outcome signIn(Generator generator, RendezvousSession session) {
    QrCode code = new QrCode(prefix, QrCode.Intent.LOGIN, generator.publicKey(), session.id(), rendezvousServer);
    person.seesQrCode(code.encode());

    // 5: LoginInitiateMessage was sealed with the token of our POST; LoginOkMessage with the token we read it at.
    String initiate = session.receive();
    Confirmed confirmed = generator.confirm(Binding.of(code), initiate, session.lastWrittenToken(),
        session.lastReadToken());
    session.send(confirmed.loginOkMessage());
    // 7: nothing on the channel is trusted before the person typed the code the other device shows.
    confirmed.channel().confirmCheckCode(person.typeCheckCode());
    SecureRendezvous channel = new SecureRendezvous(session, confirmed.channel());

    // MSC4108 "Login via OIDC Device Authorization Grant" 1: the existing device names the homeserver.
    JsonObject protocols = note(channel.receive(LoginMessages.PROTOCOLS));
    if (!protocols.getJsonArray("protocols").contains(LoginMessages.DEVICE_AUTHORIZATION_GRANT)) {
      channel.send(LoginMessages.failure("unsupported_protocol"));
      throw new IllegalStateException("no protocol this device supports: " + protocols.encode());
    }
    String homeserver = withoutTrailingSlash(protocols.getString("homeserver"));

    // 2: the homeserver's OAuth metadata must offer the device authorization grant; register and start it.
    JsonObject metadata = json(await(http.getAbs(route.url(homeserver + "/_matrix/client/v1/auth_metadata")).send()),
        200, "auth_metadata");
    if (!metadata.getJsonArray("grant_types_supported").contains(DEVICE_CODE_GRANT)
        || metadata.getString("device_authorization_endpoint") == null) {
      channel.send(LoginMessages.failure("unsupported_protocol"));
      throw new IllegalStateException("the homeserver offers no device authorization grant");
    }
    String clientId = register(metadata.getString("registration_endpoint"));
    String scope = "urn:matrix:client:api:* urn:matrix:client:device:" + deviceId;
    JsonObject authorization = json(await(http.postAbs(route.url(metadata.getString("device_authorization_endpoint")))
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("client_id", clientId).add("scope", scope))), 200,
        "device authorization");

    // 3: tell the existing device where the person approves, and which device ID.
    channel.send(LoginMessages.protocol(deviceId, authorization.getString("verification_uri"),
        authorization.getString("verification_uri_complete")));

    // 4: once the existing device accepted, poll the token endpoint while the person approves there.
    note(channel.receive(LoginMessages.PROTOCOL_ACCEPTED));
    JsonObject tokens = pollForTokens(metadata.getString("token_endpoint"), clientId, authorization);
    String accessToken = tokens.getString("access_token");
    JsonObject whoami = json(await(http.getAbs(route.url(homeserver + "/_matrix/client/v3/account/whoami"))
        .bearerTokenAuthentication(accessToken).send()), 200, "whoami");
    channel.send(LoginMessages.success());

    // "Secret sharing and device verification": the secrets arrive; then the session has served its purpose.
    JsonObject secrets = note(channel.receive(LoginMessages.SECRETS));
    session.delete();
    int after = session.peek().statusCode();
    return new Outcome(deviceId, confirmed.channel().checkCode(), authorization.getString("user_code"),
        authorization.getString("verification_uri_complete"), whoami, List.copyOf(received), secrets, after);
  }

  private String register(String registrationEndpoint) {
    JsonObject metadata = new JsonObject()
        .put("client_name", "MSC4388 reference new device")
        .put("client_uri", "https://qr-login.example.org/")
        .put("token_endpoint_auth_method", "none")
        .put("grant_types", new JsonArray().add(DEVICE_CODE_GRANT));
    return json(await(http.postAbs(route.url(registrationEndpoint)).sendJsonObject(metadata)), 201, "registration")
        .getString("client_id");
  }

  /** RFC 8628 §3.4-3.5: poll at the interval, slower on {@code slow_down}, until tokens or a final error. */
  private JsonObject pollForTokens(String tokenEndpoint, String clientId, JsonObject authorization) {
    long interval = authorization.getLong("interval", 5L);
    Instant deadline = Instant.now().plusSeconds(authorization.getLong("expires_in"));
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<Buffer> response = await(http.postAbs(route.url(tokenEndpoint)).sendForm(
          MultiMap.caseInsensitiveMultiMap().add("grant_type", DEVICE_CODE_GRANT)
              .add("device_code", authorization.getString("device_code")).add("client_id", clientId)));
      if (response.statusCode() == 200) {
        return response.bodyAsJsonObject();
      }
      String error = response.bodyAsJsonObject().getString("error");
      if ("slow_down".equals(error)) {
        interval += 5;
      } else if (!"authorization_pending".equals(error)) {
        throw new IllegalStateException("the device authorization grant ended with " + error);
      }
      sleepSeconds(interval);
    }
    throw new IllegalStateException("the device code expired");
  }

  private JsonObject note(JsonObject message) {
    received.add(message.getString("type"));
    return message;
  }

  private static JsonObject json(HttpResponse<Buffer> response, int status, String what) {
    if (response.statusCode() != status) {
      throw new IllegalStateException(what + ": " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  private static void sleepSeconds(long seconds) {
    try {
      Thread.sleep(seconds * 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while polling", e);
    }
  }

  private static String randomDeviceId() {
    SecureRandom random = new SecureRandom();
    StringBuilder id = new StringBuilder("QRNEW");
    for (int i = 0; i < 8; i++) {
      id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return id.toString();
  }

  private static String withoutTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
