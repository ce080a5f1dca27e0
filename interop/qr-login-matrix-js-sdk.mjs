// Sign in with QR (MSC4108, 2024 version) end to end with matrix-js-sdk's own classes on BOTH devices, against a
// Gatehouse node:
//
//   GATEHOUSE_BASE_URL=http://127.0.0.1:8080 GATEHOUSE_USER_ID=@alice:test.local GATEHOUSE_USERNAME=alice \
//   GATEHOUSE_PASSWORD=... GATEHOUSE_ACCESS_TOKEN=... GATEHOUSE_DEVICE_ID=... node qr-login-matrix-js-sdk.mjs
//
// The existing device is a MatrixClient signed in as the user (its token comes from a real OAuth sign-in, done by
// the Java test). The new device has no credentials. Both run MSC4108RendezvousSession + MSC4108SecureChannel
// (ECIES from @matrix-org/matrix-sdk-crypto-wasm) + MSC4108SignInWithQR:
//  1. the new device creates the rendezvous and renders its QR code (intent "login");
//  2. the existing device decodes the QR bytes with the crypto library's QrCodeData, opens the secure channel to
//     the new device's key, and offers the device authorization grant (m.login.protocols) after checking
//     Gatehouse's metadata for it;
//  3. the new device registers an OAuth client, starts the grant for a device ID of its choosing and sends it
//     (m.login.protocol); the existing device checks that the device does not exist yet and accepts;
//  4. the person approves at the verification URI, as the existing device's user, on Gatehouse's /link page;
//  5. the new device's polling gets the tokens, whoami answers the user and the new device ID, the new device
//     reports m.login.success, the existing device sees the device appear and sends the secrets, the new device
//     closes the rendezvous.
// Prints one JSON line with what each side saw and exits 0, or {"ok": false, "error": ...} and exits 1.
import { initAsync, QrCodeData, QrCodeMode } from "@matrix-org/matrix-sdk-crypto-wasm";
import * as oauth from "oauth4webapi";
import { createClient } from "matrix-js-sdk";
import { logger } from "matrix-js-sdk/lib/logger.js";
import {
  MSC4108RendezvousSession,
  MSC4108SecureChannel,
  MSC4108SignInWithQR,
  PayloadType,
} from "matrix-js-sdk/lib/rendezvous/index.js";
import { decideOnLinkPage } from "./lib/qr-link-page.mjs";
import { fail, checkOrThrow as check, env, within, sleep, newDeviceId } from "./lib/script.mjs";

/**
 * Notes the type of every payload a side sends and receives over the secure channel (observation only: the
 * SDK's own send/receive still do the work), so the report shows the MSC4108 conversation as it happened.
 */
function recordConversation(signIn, log) {
  const send = signIn.send.bind(signIn);
  const receive = signIn.receive.bind(signIn);
  signIn.send = async (payload) => {
    log.push(`sent ${payload.type}`);
    return send(payload);
  };
  signIn.receive = async () => {
    const payload = await receive();
    log.push(`received ${payload?.type ?? "nothing"}`);
    return payload;
  };
}

/**
 * The new device's OAuth part. matrix-js-sdk 37.5.0 leaves it to the application (its
 * MSC4108SignInWithQR.deviceAuthorizationGrant() throws "New device flows around OIDC are not yet implemented" on
 * the new device), so this is the new device's code: discovery through the SDK (MSC2965 auth_metadata, validated
 * by the SDK), then oauth4webapi for dynamic registration (MSC2966) and the device authorization grant (RFC 8628,
 * MSC4341), with oauth4webapi's response checks.
 */
class NewDeviceOAuth {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
    this.polls = { authorization_pending: 0, slow_down: 0 };
  }

  async discover() {
    const metadata = await createClient({ baseUrl: this.baseUrl }).getAuthMetadata();
    check(typeof metadata.device_authorization_endpoint === "string",
      "the auth metadata has no device_authorization_endpoint", { metadata });
    // oauth4webapi's own discovery of the same issuer, with its strict issuer comparison.
    const issuer = new URL(metadata.issuer);
    const response = await oauth.discoveryRequest(issuer, { [oauth.allowInsecureRequests]: true });
    this.as = await oauth.processDiscoveryResponse(issuer, response);
    check(this.as.device_authorization_endpoint === metadata.device_authorization_endpoint,
      "the two metadata documents disagree on the device authorization endpoint");
    return metadata;
  }

  async register() {
    const response = await oauth.dynamicClientRegistrationRequest(this.as, {
      client_name: "QR login new device (matrix-js-sdk interop)",
      client_uri: "https://new-device.example.org/",
      application_type: "native",
      grant_types: ["urn:ietf:params:oauth:grant-type:device_code", "refresh_token"],
      token_endpoint_auth_method: "none",
    }, { [oauth.allowInsecureRequests]: true });
    this.client = await oauth.processDynamicClientRegistrationResponse(response);
    return this.client.client_id;
  }

  async start(deviceId) {
    const response = await oauth.deviceAuthorizationRequest(this.as, this.client, oauth.None(), {
      scope: `urn:matrix:client:api:* urn:matrix:client:device:${deviceId}`,
    }, { [oauth.allowInsecureRequests]: true });
    this.grant = await oauth.processDeviceAuthorizationResponse(this.as, this.client, response);
    return this.grant;
  }

  /** RFC 8628 §3.5 polling: wait the interval, poll, keep waiting on authorization_pending, back off on slow_down. */
  async poll() {
    let interval = this.grant.interval ?? 5;
    const deadline = Date.now() + this.grant.expires_in * 1000;
    while (Date.now() < deadline) {
      await sleep(interval * 1000);
      const response = await oauth.deviceCodeGrantRequest(this.as, this.client, oauth.None(), this.grant.device_code,
        { [oauth.allowInsecureRequests]: true });
      try {
        return await oauth.processDeviceCodeResponse(this.as, this.client, response);
      } catch (e) {
        if (e instanceof oauth.ResponseBodyError && e.error in this.polls) {
          this.polls[e.error]++;
          interval += e.error === "slow_down" ? 5 : 0;
          continue;
        }
        throw e;
      }
    }
    throw new Error("the device code expired while polling");
  }
}

// The secrets the existing device hands over at the very end (cross-signing private keys, key backup key). They are
// STUBBED here: exporting real ones needs the SDK's Rust crypto initialised against a homeserver's /keys and /sync
// endpoints, and Gatehouse is only the authentication module (there is no homeserver in this test). The secrets
// travel end to end encrypted between the two devices, so the server is not involved either way; the stub still
// lets the SDK run its real shareSecrets() on both sides, including the existing device's wait for the new device
// to appear in GET /devices/{id}.
const STUB_SECRETS = {
  cross_signing: { master_key: "stub-master", self_signing_key: "stub-self-signing", user_signing_key: "stub-user-signing" },
};

async function existingDevice({ baseUrl, userId, deviceId, accessToken, qrBytes, username, password, seen }) {
  const client = createClient({ baseUrl, userId, deviceId, accessToken });
  client.getCrypto = () => ({ exportSecretsBundle: async () => STUB_SECRETS });

  // "Scanning": decode the bytes of the new device's QR code.
  const scanned = QrCodeData.fromBytes(qrBytes);
  seen.qr = {
    mode: scanned.mode === QrCodeMode.Login ? "login" : "reciprocate",
    rendezvousUrl: scanned.rendezvousUrl,
    serverName: scanned.serverName ?? null,
  };
  check(scanned.mode === QrCodeMode.Login, "the scanned code is not a new device's login code", seen.qr);

  const failures = [];
  const session = new MSC4108RendezvousSession({ url: scanned.rendezvousUrl, onFailure: (r) => failures.push(r) });
  const channel = new MSC4108SecureChannel(session, scanned.publicKey, (r) => failures.push(r));
  const signIn = new MSC4108SignInWithQR(channel, true, client, (r) => failures.push(r));
  seen.conversation = [];
  recordConversation(signIn, seen.conversation);

  await within(30000, signIn.negotiateProtocols(), "existing device: negotiateProtocols");
  seen.checkCode = signIn.checkCode;
  const { verificationUri } = await within(60000, signIn.deviceAuthorizationGrant(),
    "existing device: deviceAuthorizationGrant");
  seen.verificationUri = verificationUri;
  seen.expectedDeviceId = signIn.expectingNewDeviceId;

  // As Element does: once the grant's URI is known, the person opens it while the SDK waits for the outcome.
  const outcome = signIn.shareSecrets();
  outcome.catch(() => {});
  seen.linkPage = await within(60000, decideOnLinkPage({ verificationUri, username, password, approve: true }),
    "the person on the link page");
  const { secrets } = await within(60000, outcome, "existing device: shareSecrets");
  seen.secretsSent = secrets;
  seen.failures = failures;
}

async function newDevice({ baseUrl, qr, seen }) {
  const failures = [];
  // The new device has no account yet; an unauthenticated MatrixClient only lets the transport find the
  // homeserver's MSC4108 endpoint (/versions). Element creates the session with an empty first message, then
  // renders the QR code from its URL.
  const session = new MSC4108RendezvousSession({ client: createClient({ baseUrl }), onFailure: (r) => failures.push(r) });
  await within(10000, session.send(""), "new device: create the rendezvous");
  const channel = new MSC4108SecureChannel(session, undefined, (r) => failures.push(r));
  const signIn = new MSC4108SignInWithQR(channel, false, undefined, (r) => failures.push(r));
  seen.conversation = [];
  recordConversation(signIn, seen.conversation);
  await signIn.generateCode();
  qr.resolve(signIn.code);
  seen.rendezvousUrl = session.url;

  const { serverName } = await within(60000, signIn.negotiateProtocols(), "new device: negotiateProtocols");
  seen.serverName = serverName;
  seen.checkCode = signIn.checkCode;
  // A real device resolves the server name with .well-known/matrix/client; the test's server name is not in DNS,
  // so the node's URL stands in for the answer (the Java test checks the server name the device was told).

  const oauthClient = new NewDeviceOAuth(baseUrl);
  const metadata = await oauthClient.discover();
  seen.deviceAuthorizationEndpoint = metadata.device_authorization_endpoint;
  seen.clientId = await oauthClient.register();
  const deviceId = newDeviceId(10);
  seen.deviceId = deviceId;
  const grant = await oauthClient.start(deviceId);
  seen.grant = { verification_uri: grant.verification_uri, verification_uri_complete: grant.verification_uri_complete,
    interval: grant.interval, expires_in: grant.expires_in };

  await signIn.send({
    type: PayloadType.Protocol,
    protocol: "device_authorization_grant",
    device_authorization_grant: {
      verification_uri: grant.verification_uri,
      verification_uri_complete: grant.verification_uri_complete,
    },
    device_id: deviceId,
  });
  const accepted = await within(60000, signIn.receive(), "new device: protocol accepted");
  check(accepted?.type === PayloadType.ProtocolAccepted, "the existing device did not accept the protocol",
    { accepted });

  const tokens = await within(120000, oauthClient.poll(), "new device: device code polling");
  seen.polls = oauthClient.polls;
  seen.tokenType = tokens.token_type;
  seen.scope = tokens.scope;
  seen.gotRefreshToken = typeof tokens.refresh_token === "string";
  const me = createClient({ baseUrl, accessToken: tokens.access_token });
  seen.whoami = await me.whoami();
  seen.ownDevice = await me.getDevice(deviceId);
  // Behind a homeserver (GATEHOUSE_SYNC=1: Synapse through the proxy), the new device syncs there at once.
  if (process.env.GATEHOUSE_SYNC === "1") {
    const sync = await me.http.authedRequest("GET", "/sync", { timeout: "0" });
    seen.sync = { nextBatch: typeof sync.next_batch === "string" };
  }

  const { secrets } = await within(60000, signIn.shareSecrets(), "new device: shareSecrets");
  seen.secretsReceived = secrets;
  // The new device ends the rendezvous (the existing device's SDK leaves that to it).
  await signIn.close();
  seen.rendezvousAfterClose = (await fetch(session.url)).status;
  seen.failures = failures;
}

async function main() {
  const baseUrl = env("GATEHOUSE_BASE_URL").replace(/\/$/, "");
  const existing = {
    baseUrl,
    userId: env("GATEHOUSE_USER_ID"),
    deviceId: env("GATEHOUSE_DEVICE_ID"),
    accessToken: env("GATEHOUSE_ACCESS_TOKEN"),
    username: env("GATEHOUSE_USERNAME"),
    password: env("GATEHOUSE_PASSWORD"),
  };
  // The SDK logs every request (with payloads) at info level; this script's stdout is its JSON line only.
  logger.setLevel("warn");
  // The SDK's rendezvous classes use the crypto library's ECIES and QR code types; Node loads its WebAssembly
  // from the package, asynchronously here, as matrix-js-sdk's own crypto initialisation does.
  await initAsync();

  const newSeen = {};
  const existingSeen = {};
  let resolveQr;
  const qr = new Promise((resolve) => {
    resolveQr = resolve;
  });
  const newSide = newDevice({ baseUrl, qr: { resolve: resolveQr }, seen: newSeen });
  newSide.catch(() => {});
  const qrBytes = await within(20000, Promise.race([qr, newSide.then(() => undefined)]), "the new device's QR code");
  check(qrBytes instanceof Uint8Array, "the new device produced no QR code");
  const existingSide = existingDevice({ ...existing, qrBytes, seen: existingSeen });
  try {
    await Promise.all([newSide, existingSide]);
  } catch (e) {
    fail(String(e?.stack ?? e), { details: e?.details, newDevice: newSeen, existingDevice: existingSeen });
  }
  console.log(JSON.stringify({
    ok: true,
    node: process.version,
    qr: { bytes: qrBytes.length, prefix: Buffer.from(qrBytes.slice(0, 6)).toString("latin1"), ...existingSeen.qr },
    newDevice: newSeen,
    existingDevice: existingSeen,
  }));
  process.exit(0);
}

setTimeout(() => fail("the script did not finish within 150 s"), 150000).unref();
main().catch((e) => fail(String(e?.stack ?? e), { details: e?.details }));
