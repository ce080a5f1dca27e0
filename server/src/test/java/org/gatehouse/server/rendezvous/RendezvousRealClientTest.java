package org.gatehouse.server.rendezvous;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.gatehouse.server.interop.NodeScript;
import org.gatehouse.server.rendezvous.RendezvousClient.Seen;
import org.gatehouse.server.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A started node as real clients meet it: {@code /versions} advertises the rendezvous versions, the production
 * listener sends MSC4108 bodies uncompressed with their length, and matrix-js-sdk's own MSC4108 transport
 * ({@code MSC4108RendezvousSession}) works against it end to end (see {@code interop/rendezvous-msc4108.mjs}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RendezvousRealClientTest {
  TestNodes nodes;
  String baseUrl;
  RendezvousClient client;

  @BeforeAll
  void start() {
    // The MSC4108 session URL is built on public_base_url, so the node listens where that URL points.
    nodes = TestNodes.startOneAtItsPublicUrl(Map.of());
    baseUrl = nodes.publicUrl();
    client = new RendezvousClient();
  }

  @AfterAll
  void stop() {
    client.close();
    nodes.close();
  }

  @Test
  void versionsAdvertiseBothRendezvousVersions() throws Exception {
    HttpResponse<Buffer> versions = RendezvousClient.await(client.request(HttpMethod.GET,
        baseUrl + "/_matrix/client/versions").send());
    JsonObject features = versions.bodyAsJsonObject().getJsonObject("unstable_features");
    assertThat(features.getBoolean("org.matrix.msc4108")).isTrue();
    assertThat(features.getBoolean("io.element.msc4388")).isTrue();
  }

  @Test
  void theListenerNeverCompressesAndAlwaysSendsTheLength() throws Exception {
    String payload = "a compressible payload ".repeat(100);
    Seen created = client.create(baseUrl, true, payload);
    assertThat(created.path()).startsWith(RendezvousClient.MSC4108 + "/");
    HttpResponse<Buffer> read = RendezvousClient.await(client.request(HttpMethod.GET, baseUrl + created.path())
        .putHeader("Accept-Encoding", "gzip, deflate, br").send());
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.getHeader("Content-Encoding")).isNull();
    assertThat(read.getHeader("Transfer-Encoding")).isNull();
    assertThat(read.getHeader("Content-Length")).isEqualTo(Integer.toString(payload.length()));
    assertThat(read.getHeader("Content-Type")).isEqualTo("text/plain");
    assertThat(read.getHeader("Cache-Control")).isEqualTo("no-store, no-transform");
    assertThat(read.bodyAsString()).isEqualTo(payload);
  }

  @Test
  void matrixJsSdkMsc4108RendezvousSessionCreatesSendsReceivesAndCancels() {
    JsonObject result = NodeScript.run("rendezvous-msc4108.mjs", Map.of("GATEHOUSE_BASE_URL", baseUrl),
        Duration.ofSeconds(90)).json();
    assertThat(result.getBoolean("ok")).as(result.encodePrettily()).isTrue();
    JsonObject basic = result.getJsonObject("basic");
    assertThat(basic.getString("url")).startsWith(baseUrl + "/_matrix/client/unstable/org.matrix.msc4108/rendezvous/");
    assertThat(basic.getString("offer")).isEqualTo("offer from the new device");
    assertThat(basic.getString("answer")).isEqualTo("answer from the existing device");
    assertThat(basic.getJsonObject("failures").getJsonArray("creator").getList()).containsExactly("user_cancelled");
    // One held poll answered by the write, instead of a 304 and the SDK's own re-poll a second later.
    assertThat(result.getJsonObject("longPoll").getInteger("polls")).isEqualTo(2);
    System.out.println("matrix-js-sdk result: " + result.encode());
  }
}
