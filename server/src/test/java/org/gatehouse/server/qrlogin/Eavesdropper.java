package org.gatehouse.server.qrlogin;

import static org.gatehouse.server.qrlogin.RendezvousSession.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A third party who saw the QR code over the person's shoulder (so knows the rendezvous session and the homeserver)
 * and reads every payload the session holds, as anyone may ("Insecure rendezvous session"), until it is deleted.
 */
final class Eavesdropper {
  private final WebClient http;
  private final Route route;
  private final Person person;

  Eavesdropper(WebClient http, Route route, Person person) {
    this.http = http;
    this.route = route;
    this.person = person;
  }

  /** Every distinct payload the server handed out, in order, until the session answered 404. */
  List<String> readUntilDeleted(Duration patience) {
    QrCode code = QrCode.decode(person.scanQrCode());
    String url = route.url(code.requestBase() + code.prefix().apiPath() + "/" + code.rendezvousId());
    List<String> seen = new ArrayList<>();
    String token = null;
    Instant deadline = Instant.now().plus(patience);
    while (Instant.now().isBefore(deadline)) {
      var request = http.getAbs(url);
      if (token != null) {
        request.addQueryParam("since", token).addQueryParam("timeout_ms", "10000");
      }
      HttpResponse<Buffer> read = await(request.send());
      if (read.statusCode() == 404) {
        return seen;
      }
      JsonObject body = read.bodyAsJsonObject();
      if (!body.getString("sequence_token").equals(token)) {
        token = body.getString("sequence_token");
        seen.add(body.getString("data"));
      }
    }
    throw new IllegalStateException("the session was never deleted; saw " + seen.size() + " payloads");
  }
}
