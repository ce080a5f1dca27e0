package org.gatehouse.server.qrlogin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.gatehouse.common.testing.OAuthTestClient;
import org.gatehouse.server.qrlogin.Msc4388SecureChannel.Binding;
import org.gatehouse.server.qrlogin.Msc4388SecureChannel.Generator;
import org.gatehouse.server.qrlogin.Msc4388SecureChannel.Scanner;
import org.gatehouse.server.synapse.SynapseDeployment;
import org.gatehouse.server.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The 2025 QR login end to end against started nodes, with the reference secure channel of this package on both
 * devices: the new device creates an MSC4388 rendezvous session and shows the QR code, the signed-in device scans
 * it, both establish the channel and show the same check code, the MSC4108 messages travel encrypted through
 * Gatehouse's rendezvous endpoints, the new device starts the device authorization grant, the person approves it on
 * {@code /link} in a browser, and the new device gets tokens for its own device ID. No published client speaks this
 * revision yet, so this is the proof that the flow works on Gatehouse.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Msc4388TwoDeviceLoginTest {
  private static final String PASSWORD = "correct horse battery staple";
  private static final Duration PATIENCE = Duration.ofSeconds(150);

  private Vertx vertx;
  private WebClient http;
  private TestNodes single;
  private String singleBase;

  @BeforeAll
  void start() {
    vertx = Vertx.vertx();
    http = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    // Clients must reach the URLs the node hands out (metadata, verification URI), so it listens at its public URL.
    single = TestNodes.startOneAtItsPublicUrl(Map.of());
    singleBase = single.publicUrl();
  }

  @AfterAll
  void stop() {
    if (single != null) {
      single.close();
    }
    vertx.close().await();
  }

  @Test
  void aNewDeviceSignsInWithTheHelpOfAnExistingOne() throws Exception {
    single.createUser("alice", PASSWORD);
    Route direct = Route.direct(singleBase);
    // The QR code carries the base URL without a trailing slash here, with one in the cluster test.
    Login login = login(singleBase, QrCode.Prefix.STABLE, direct, direct, direct, singleBase, "alice");
    assertSignedIn(login, "@alice:test.local");
  }

  @Test
  void theTwoDevicesCanTalkThroughDifferentNodesOfACluster() throws Exception {
    // The public URL is the load balancer's; it sends the new device to node 0, the existing device to node 1.
    String publicBase = "http://127.0.0.1:" + TestNodes.freePorts(1).get(0) + "/";
    try (TestNodes nodes = TestNodes.start(2, Map.of("public_base_url", publicBase))) {
      nodes.createUser("bob", PASSWORD);
      Route toNode0 = new Route(publicBase, nodes.url(0));
      Route toNode1 = new Route(publicBase, nodes.url(1));
      Login login = login(publicBase, QrCode.Prefix.UNSTABLE, toNode0, toNode1, toNode0, publicBase, "bob");
      assertSignedIn(login, "@bob:test.local");
    }
  }

  @Test
  void aNewDeviceSignsInBehindSynapseThroughTheProxy() throws Exception {
    // docs/synapse.md's deployment: the rendezvous and the sign-in pages are Gatehouse's, /devices and whoami
    // Synapse's, all through nginx; approving registers the device at Synapse before the new device gets its tokens.
    try (SynapseDeployment deployment = SynapseDeployment.start()) {
      deployment.createUser("carol", PASSWORD);
      Route proxy = Route.direct(deployment.proxyUrl());
      Login login = login(deployment.proxyUrl(), QrCode.Prefix.STABLE, proxy, proxy, proxy, deployment.proxyUrl(),
          "carol");
      assertSignedIn(login, "@carol:" + SynapseDeployment.SERVER_NAME);
    }
  }

  @Test
  void aTamperedMessageOrAForeignKeyIsRefusedThroughTheServer() {
    Route direct = Route.direct(singleBase);
    Wire wire = new Wire();

    // Someone who knows the session overwrites S's LoginInitiateMessage with a copy that has one bit changed.
    Generator generator = new Generator();
    RendezvousSession atG = RendezvousSession.create(http, direct, singleBase, QrCode.Prefix.STABLE, wire);
    QrCode code = new QrCode(QrCode.Prefix.STABLE, QrCode.Intent.LOGIN, generator.publicKey(), atG.id(), singleBase);
    RendezvousSession atS = RendezvousSession.join(http, direct, code, wire);
    atS.send(new Scanner(code).loginInitiateMessage(atS.lastReadToken()));
    RendezvousSession attacker = RendezvousSession.join(http, direct, code, new Wire());
    attacker.send(flipABit(attacker.lastData(), 40));
    String tampered = atG.receive();
    assertThat(tampered).isNotEqualTo(atS.lastData());
    assertThatThrownBy(() -> generator.confirm(Binding.of(code), tampered, atG.lastWrittenToken(),
        atG.lastReadToken())).isInstanceOf(SecureChannelException.class);
    atG.delete();

    // A QR code whose key was swapped (another key than G's): S seals for that key, which G cannot open.
    Generator honest = new Generator();
    RendezvousSession second = RendezvousSession.create(http, direct, singleBase, QrCode.Prefix.STABLE, wire);
    QrCode forged = new QrCode(QrCode.Prefix.STABLE, QrCode.Intent.LOGIN, new Generator().publicKey(), second.id(),
        singleBase);
    RendezvousSession scanner = RendezvousSession.join(http, direct, forged, wire);
    scanner.send(new Scanner(forged).loginInitiateMessage(scanner.lastReadToken()));
    String foreign = second.receive();
    assertThatThrownBy(() -> honest.confirm(Binding.of(forged), foreign, second.lastWrittenToken(),
        second.lastReadToken())).isInstanceOf(SecureChannelException.class);
    second.delete();
  }

  /** Everything one QR login produced, from both devices, the eavesdropper and the wire. */
  private record Login(NewDevice.Outcome newDevice, ExistingDevice.Outcome existing, List<String> eavesdropped,
                       Wire wire) {
  }

  /**
   * Runs both devices (and an eavesdropper) at once, each on its own thread as on two real devices; the person
   * carries the QR code and the check code between them.
   *
   * @param qrBase     the homeserver base URL the new device uses for the rendezvous and puts in the QR code
   * @param homeserver the existing device's homeserver (public URL), which it tells the new device
   */
  private Login login(String qrBase, QrCode.Prefix prefix, Route newRoute, Route existingRoute, Route thirdParty,
                      String homeserver, String username) throws Exception {
    // The existing device signed in the usual way: authorization code + PKCE through the real pages.
    OAuthTestClient.Tokens existingTokens = new OAuthTestClient(vertx, existingRoute.node()).signIn(username, PASSWORD);
    Person person = new Person(username, PASSWORD);
    Wire wire = new Wire();
    NewDevice newDevice = new NewDevice(http, newRoute, qrBase, prefix, wire, person);
    ExistingDevice existing = new ExistingDevice(http, existingRoute, homeserver, existingTokens.accessToken(), wire,
        person);
    Eavesdropper eavesdropper = new Eavesdropper(http, thirdParty, person);
    ExecutorService threads = Executors.newFixedThreadPool(3);
    try {
      CompletableFuture<NewDevice.Outcome> signedIn = run(threads, person, newDevice::signIn);
      CompletableFuture<ExistingDevice.Outcome> helped = run(threads, person, existing::signInNewDevice);
      CompletableFuture<List<String>> overheard = run(threads, person, () -> eavesdropper.readUntilDeleted(PATIENCE));
      firstFailureOrAll(List.of(signedIn, helped, overheard));
      return new Login(signedIn.get(), helped.get(), overheard.get(), wire);
    } finally {
      threads.shutdownNow();
      threads.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  private static void assertSignedIn(Login login, String userId) {
    NewDevice.Outcome newDevice = login.newDevice();
    ExistingDevice.Outcome existing = login.existing();

    // The person saw the same two digits on both devices (the new device refuses to go on otherwise).
    assertThat(existing.checkCode()).matches("[1-9][0-9]").isEqualTo(newDevice.checkCode());

    // The MSC4108 conversation, in order, each side receiving what the other sent.
    assertThat(newDevice.received()).containsExactly(LoginMessages.PROTOCOLS, LoginMessages.PROTOCOL_ACCEPTED,
        LoginMessages.SECRETS);
    assertThat(existing.received()).containsExactly(LoginMessages.PROTOCOL, LoginMessages.SUCCESS);
    assertThat(existing.newDeviceId()).isEqualTo(newDevice.deviceId());
    assertThat(newDevice.secrets().getJsonObject("cross_signing"))
        .isEqualTo(existing.secretsSent().getJsonObject("cross_signing"));

    // The approval page told the person which device and which application, and the approval went through.
    assertThat(existing.approvalPage()).contains(newDevice.deviceId()).contains("MSC4388 reference new device")
        .contains(newDevice.userCode());
    assertThat(existing.approvedPage()).contains("Device approved");
    assertThat(newDevice.verificationUriComplete()).endsWith("/link?code=" + newDevice.userCode());

    // The device did not exist before the approval, and exists afterwards; the new tokens are for it.
    assertThat(existing.newDeviceBeforeApproval()).isEqualTo(404);
    assertThat(existing.newDeviceAfterSuccess()).isEqualTo(200);
    assertThat(newDevice.whoami().getString("user_id")).isEqualTo(userId);
    assertThat(newDevice.whoami().getString("device_id")).isEqualTo(newDevice.deviceId());

    // The session was deleted at the end.
    assertThat(newDevice.sessionStatusAfterDelete()).isEqualTo(404);

    // The server only ever held ciphertext: the empty first payload, then two handshake messages and five
    // MSC4108 messages, each written once and read once by the other device.
    List<String> wire = login.wire().payloads();
    assertThat(wire).hasSize(16);
    assertThat(wire.stream().filter(p -> !p.isEmpty()).distinct()).hasSize(7);
    List<String> markers = new ArrayList<>(List.of(Msc4388SecureChannel.LOGIN_INITIATE, Msc4388SecureChannel.LOGIN_OK,
        "m.login", LoginMessages.DEVICE_AUTHORIZATION_GRANT, "verification_uri", "cross_signing",
        newDevice.deviceId(), newDevice.userCode()));
    existing.secretsSent().getJsonObject("cross_signing").forEach(key -> markers.add((String) key.getValue()));
    for (String payload : wire) {
      assertCiphertextOnly(payload, markers);
    }
    // A third party reading the session saw the same payloads and nothing else.
    assertThat(login.eavesdropped()).isNotEmpty().allSatisfy(p -> assertThat(wire).contains(p));
    assertThat(login.eavesdropped().stream().filter(p -> !p.isEmpty())).isNotEmpty();
    for (String payload : login.eavesdropped()) {
      assertCiphertextOnly(payload, markers);
    }
  }

  /** Neither the payload nor what its base64 decodes to contains any plaintext marker. */
  private static void assertCiphertextOnly(String payload, List<String> markers) {
    String decoded = payload.isEmpty() ? "" : new String(Base64.getDecoder().decode(payload),
        StandardCharsets.ISO_8859_1);
    for (String marker : markers) {
      assertThat(payload).doesNotContain(marker);
      assertThat(decoded).doesNotContain(marker);
    }
  }

  private static <T> CompletableFuture<T> run(ExecutorService threads, Person person, Supplier<T> device) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return device.get();
      } catch (RuntimeException e) {
        person.gaveUp(e);
        throw e;
      }
    }, threads);
  }

  /** Waits for all; the first failure ends the wait at once (the other device may be stuck in a long-poll). */
  private static void firstFailureOrAll(List<CompletableFuture<?>> futures) throws Exception {
    CompletableFuture<Void> all = CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
    futures.forEach(f -> f.whenComplete((value, failure) -> {
      if (failure != null) {
        all.completeExceptionally(failure);
      }
    }));
    try {
      all.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      // The failing device cancelled the session, so the others fail right after: report every cause.
      AssertionError failed = new AssertionError("the QR login failed", e.getCause());
      try {
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // expected: at least one of them failed
      }
      futures.stream().filter(CompletableFuture::isCompletedExceptionally).map(f -> f.handle((v, t) -> t).join())
          .map(t -> t instanceof CompletionException && t.getCause() != null ? t.getCause() : t)
          .filter(t -> t != e.getCause()).forEach(failed::addSuppressed);
      throw failed;
    }
  }

  private static String flipABit(String unpaddedBase64, int index) {
    byte[] raw = Base64.getDecoder().decode(unpaddedBase64);
    raw[index] ^= 0x01;
    return Base64.getEncoder().withoutPadding().encodeToString(raw);
  }
}
