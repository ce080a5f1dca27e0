package org.gatehouse.server.qrlogin;

import static org.gatehouse.server.qrlogin.RendezvousSession.await;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gatehouse.common.testing.TestBrowser;
import org.gatehouse.server.qrlogin.Msc4388SecureChannel.EstablishedChannel;
import org.gatehouse.server.qrlogin.Msc4388SecureChannel.Scanner;

/**
 * The signed-in device that scans the new device's QR code: device S of MSC4388, "existing device" of MSC4108.
 * It has its own access token (from a normal sign-in) and opens the verification URI in a system browser that
 * shares nothing with it, where the person signs in and approves.
 */
final class ExistingDevice {
  private static final Pattern HIDDEN = Pattern.compile("name=\"(csrf|next)\" value=\"([^\"]*)\"");

  /** What the existing device saw and did. */
  record Outcome(String checkCode, String newDeviceId, int newDeviceBeforeApproval, int newDeviceAfterSuccess,
                 String approvalPage, String approvedPage, List<String> received, JsonObject secretsSent) {
  }

  private final WebClient http;
  private final Route route;
  private final String homeserver;
  private final String accessToken;
  private final Wire wire;
  private final Person person;
  private final List<String> received = new ArrayList<>();

  /**
   * @param http        a client that does not follow redirects (the browser sees every hop)
   * @param homeserver  the public base URL of this device's homeserver
   * @param accessToken this device's own access token
   */
  ExistingDevice(WebClient http, Route route, String homeserver, String accessToken, Wire wire, Person person) {
    this.http = http;
    this.route = route;
    this.homeserver = homeserver.endsWith("/") ? homeserver.substring(0, homeserver.length() - 1) : homeserver;
    this.accessToken = accessToken;
    this.wire = wire;
    this.person = person;
  }

  /** The whole sign-in of the new device; on any failure the session is cancelled. */
  Outcome signInNewDevice() {
    // MSC4388 3: scan, and check the intent is what the person asked for (an existing device signs in a new one).
    QrCode code = QrCode.decode(person.scanQrCode());
    if (code.intent() != QrCode.Intent.LOGIN) {
      throw new IllegalStateException("this QR code is not from a device asking to sign in");
    }
    RendezvousSession session = RendezvousSession.join(http, route, code, wire);
    try {
      return signInNewDevice(session, code);
    } catch (RuntimeException e) {
      session.cancel();
      throw e;
    }
  }

  private Outcome signInNewDevice(RendezvousSession session, QrCode code) {
    // 4 and 6: LoginInitiateMessage sealed with the token we read; LoginOkMessage opened with the token we wrote.
    Scanner scanner = new Scanner(code);
    session.send(scanner.loginInitiateMessage(session.lastReadToken()));
    EstablishedChannel established = scanner.verify(session.receive(), session.lastWrittenToken());
    person.seesCheckCode(established.checkCode());
    SecureRendezvous channel = new SecureRendezvous(session, established);

    // MSC4108 1: this device knows the homeserver and what it offers.
    channel.send(LoginMessages.protocols(homeserver + "/"));
    JsonObject protocol = note(channel.receive(LoginMessages.PROTOCOL));
    if (!LoginMessages.DEVICE_AUTHORIZATION_GRANT.equals(protocol.getString("protocol"))) {
      channel.send(LoginMessages.failure("unsupported_protocol"));
      throw new IllegalStateException("unsupported protocol " + protocol.encode());
    }
    String newDeviceId = protocol.getString("device_id");
    JsonObject grant = protocol.getJsonObject(LoginMessages.DEVICE_AUTHORIZATION_GRANT);

    // 5: the device must not exist yet; then accept and let the person approve in the browser.
    int before = deviceStatus(newDeviceId);
    if (before != 404) {
      channel.send(LoginMessages.failure("device_already_exists"));
      throw new IllegalStateException("device " + newDeviceId + " already exists: " + before);
    }
    channel.send(LoginMessages.protocolAccepted());
    String[] pages = approveInBrowser(grant.getString("verification_uri_complete",
        grant.getString("verification_uri")));

    // "Secret sharing": only once the new device says it signed in and the homeserver lists it.
    note(channel.receive(LoginMessages.SUCCESS));
    int after = awaitDevice(newDeviceId);
    if (after != 200) {
      channel.send(LoginMessages.failure("device_not_found"));
      throw new IllegalStateException("the new device " + newDeviceId + " is not listed: " + after);
    }
    JsonObject secrets = LoginMessages.secrets(standInKey(), standInKey(), standInKey());
    channel.send(secrets);
    return new Outcome(established.checkCode(), newDeviceId, before, after, pages[0], pages[1], List.copyOf(received),
        secrets);
  }

  /**
   * The person in a fresh system browser: the verification URI, the sign-in page (the browser has no session),
   * the approval page, Approve. Returns the approval page and the page after approving.
   */
  private String[] approveInBrowser(String verificationUri) {
    try {
      TestBrowser browser = new TestBrowser(http, route.node());
      HttpResponse<Buffer> page = follow(browser, browser.get(route.url(verificationUri)));
      if (page.bodyAsString().contains("action=\"/login\"")) {
        Map<String, String> hidden = hidden(page.bodyAsString());
        page = follow(browser, browser.post("/login", MultiMap.caseInsensitiveMultiMap()
            .add("csrf", hidden.get("csrf")).add("next", hidden.get("next"))
            .add("username", person.username()).add("password", person.password())));
      }
      String approval = page.bodyAsString();
      if (page.statusCode() != 200 || !approval.contains("value=\"approve\"")) {
        throw new IllegalStateException("no approval page: " + page.statusCode() + " " + approval);
      }
      HttpResponse<Buffer> approved = browser.post("/link/confirm", MultiMap.caseInsensitiveMultiMap()
          .add("csrf", hidden(approval).get("csrf")).add("action", "approve"));
      if (approved.statusCode() != 200) {
        throw new IllegalStateException("approving failed: " + approved.statusCode() + " " + approved.bodyAsString());
      }
      return new String[] {approval, approved.bodyAsString()};
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<Buffer> follow(TestBrowser browser, HttpResponse<Buffer> response) throws Exception {
    for (int hops = 0; hops < 10 && response.statusCode() / 100 == 3; hops++) {
      response = browser.get(route.url(response.getHeader("Location")));
    }
    return response;
  }

  private int deviceStatus(String deviceId) {
    return await(http.getAbs(route.url(homeserver + "/_matrix/client/v3/devices/" + deviceId))
        .bearerTokenAuthentication(accessToken).send()).statusCode();
  }

  /** MSC4108: the device may take a moment to appear; ask for up to 10 seconds. */
  private int awaitDevice(String deviceId) {
    int status = deviceStatus(deviceId);
    for (int i = 0; i < 20 && status == 404; i++) {
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      status = deviceStatus(deviceId);
    }
    return status;
  }

  private JsonObject note(JsonObject message) {
    received.add(message.getString("type"));
    return message;
  }

  private static Map<String, String> hidden(String html) {
    Map<String, String> values = new HashMap<>();
    Matcher m = HIDDEN.matcher(html);
    while (m.find()) {
      values.putIfAbsent(m.group(1), m.group(2).replace("&amp;", "&"));
    }
    return values;
  }

  /** Random bytes in place of a private cross-signing key: what matters here is that only the new device sees them. */
  private static String standInKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().withoutPadding().encodeToString(key);
  }
}
