// matrix-js-sdk 37.5.0 as a client of a real Synapse that delegates its auth to Gatehouse, through the reverse
// proxy in front of both (conf/synapse/nginx.conf): sign-in at Gatehouse, then the Matrix API at Synapse with the
// tokens Gatehouse issued.
//
//   GATEHOUSE_BASE_URL=http://127.0.0.1:8000 GATEHOUSE_USERNAME=alice GATEHOUSE_PASSWORD=... \
//     node synapse-matrix-js-sdk.mjs
//
// GATEHOUSE_BASE_URL is the homeserver URL clients are given: the proxy, where Synapse answers the Matrix API and
// Gatehouse the OAuth endpoints and pages (and Gatehouse's public_base_url, so its issuer). The account exists in
// Gatehouse. Prints one JSON line with what was observed and exits 0, or prints {"ok": false, "error": ...,
// "step": ..., "observed": {...so far}} and exits 1.
//
//  1. discovery: MatrixClient.getAuthMetadata() against the proxy, answered by Synapse (37.5.0 reads
//     /_matrix/client/unstable/org.matrix.msc2965/auth_metadata; Synapse serves Gatehouse's document there);
//  2. dynamic registration at Gatehouse: registerOidcClient(), as a web client like Element Web;
//  3. authorization code + PKCE: generateOidcAuthorizationUrl(), the person signs in and allows on Gatehouse's
//     pages (lib/oauth-user-agent.mjs), completeAuthorizationCodeGrant() checks state and ID token;
//  4. a MatrixClient with the tokens, refreshing through the SDK's OidcTokenRefresher (tokenRefreshFunction);
//  5. at Synapse: whoami (the user and the SDK's device), a one-shot /sync, createRoom, sendMessage, /messages
//     reads the message back, getDevices() lists the device with the client's name;
//  6. refresh (OidcTokenRefresher.doRefreshAccessToken, then setAccessToken): whoami with the new access token;
//  7. sign-out as Element Web does it (oidc-client-ts revokeToken of the access token at Gatehouse), then Synapse
//     refuses the token on the next request: 401 M_UNKNOWN_TOKEN.
//
// What needs Gatehouse's homeserver connector (provisioning in Synapse through /_synapse/mas/*):
//  - step 5 and after. Without it Synapse introspects the token (active, username) but has no such user, and
//    answers whoami with 500 "User not found": the script stops there. With the user but not the device,
//    Synapse answers 401 M_UNKNOWN_TOKEN instead (the device must exist before the client uses its token);
//  - the device's name in getDevices() (upsert_device with the client's name; Gatehouse's devices have none);
//  - step 7's refusal on the very next request: Synapse caches introspection for 2 minutes, so only deleting
//    the device in Synapse (delete_device, before the revocation answers) makes the revoked token fail at once.
// Steps 1-4 need only the stack.
import { createClient, Direction, Method } from "matrix-js-sdk";
import { logger } from "matrix-js-sdk/lib/logger.js";
import { completeAuthorizationCodeGrant } from "matrix-js-sdk/lib/oidc/index.js";
import { UserAgent } from "./lib/oauth-user-agent.mjs";
import { REDIRECT_URI } from "./lib/sdk-web-app.mjs";
import { authorizationRequest, discover, registerWebClient, signOutClient, tokenRefresher, whoamiWith }
  from "./lib/sdk-sign-in.mjs";
import { env, failureOf, reporting, shapeOf } from "./lib/script.mjs";

const CLIENT_NAME = "matrix-js-sdk via Synapse";

// What was seen so far: the result line on success, and the details of a failure.
const progress = { step: "start", observed: {} };
const { observed } = progress;
const { stop, need } = reporting(progress);

/** Runs one SDK call at Synapse; stops the script with Synapse's answer when it throws. */
async function atSynapse(name, call) {
  progress.step = name;
  try {
    return await call();
  } catch (e) {
    stop(`${name} at Synapse failed`, { answer: failureOf(e) });
  }
  return undefined;
}

async function main() {
  const baseUrl = env("GATEHOUSE_BASE_URL").replace(/\/$/, "");
  const username = env("GATEHOUSE_USERNAME");
  const password = env("GATEHOUSE_PASSWORD");
  // The SDK logs at info level on stdout; only this script's JSON line belongs there (warnings go to stderr).
  logger.setLevel("warn");

  // 1. Discovery, through the proxy: Synapse's auth_metadata, which is Gatehouse's document.
  progress.step = "discovery";
  const { metadata, paths: discoveryPaths } = await discover(baseUrl);
  observed.discovery = {
    paths: discoveryPaths,
    issuer: metadata.issuer,
    authorizationEndpoint: metadata.authorization_endpoint,
    revocationEndpoint: metadata.revocation_endpoint,
    signingKeys: metadata.signingKeys?.length ?? 0,
  };
  need(metadata.issuer === `${baseUrl}/`, "the issuer is not the homeserver URL (Gatehouse's public_base_url)");

  // 2. Registration at Gatehouse.
  progress.step = "registration";
  const clientId = await registerWebClient(metadata, CLIENT_NAME);
  observed.clientId = clientId;

  // 3. Authorization code + PKCE through Gatehouse's pages.
  progress.step = "authorization";
  const { url: authorizationUrl, scope, deviceId: requestedDeviceId } =
    await authorizationRequest(metadata, clientId, baseUrl);
  need(requestedDeviceId !== undefined, "the SDK's scope names no device", { scope });
  const person = new UserAgent({ username, password });
  const callback = await person.authorize(authorizationUrl.href, REDIRECT_URI);
  observed.authorization = { scope, requestedDeviceId, steps: person.steps, iss: callback.searchParams.get("iss") };
  const code = callback.searchParams.get("code");
  const state = callback.searchParams.get("state");
  need(code && state === authorizationUrl.searchParams.get("state"), "the callback does not carry the code and the state");
  progress.step = "code exchange";
  const completed = await completeAuthorizationCodeGrant(code, state);
  const tokens = completed.tokenResponse;
  observed.tokens = { accessShape: shapeOf(tokens.access_token), refreshShape: shapeOf(tokens.refresh_token),
    tokenType: tokens.token_type };

  // 4. The client, refreshing through the SDK's refresher when Synapse says the token expired.
  progress.step = "client";
  const refresher = await tokenRefresher(completed, clientId, requestedDeviceId);
  const clientOptions = {
    baseUrl,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    tokenRefreshFunction: (refreshToken) => refresher.doRefreshAccessToken(refreshToken),
  };

  // 5. The Matrix API at Synapse (without the homeserver connector, whoami is where Synapse would stop us). whoami
  // first, as a client restored from a token does, then the client that knows who it is.
  const me = await atSynapse("whoami", () => createClient(clientOptions).whoami());
  observed.user_id = me.user_id;
  observed.device_id = me.device_id;
  need(me.device_id === requestedDeviceId, "Synapse's whoami names another device than the SDK asked for");
  const client = createClient({ ...clientOptions, userId: me.user_id, deviceId: me.device_id });

  const sync = await atSynapse("sync", () => client.http.authedRequest(Method.Get, "/sync", { timeout: "0" }));
  observed.sync = { nextBatch: typeof sync.next_batch === "string", joinedRooms: Object.keys(sync.rooms?.join ?? {}).length };

  const room = await atSynapse("createRoom", () => client.createRoom({ name: "Gatehouse + Synapse", preset: "private_chat" }));
  observed.room_id = room.room_id;
  const body = `hello from ${CLIENT_NAME} ${crypto.randomUUID()}`;
  const sent = await atSynapse("sendMessage", () => client.sendMessage(room.room_id, { msgtype: "m.text", body }));
  observed.event_id = sent.event_id;
  const messages = await atSynapse("messages",
    () => client.createMessagesRequest(room.room_id, null, 20, Direction.Backward));
  const readBack = messages.chunk.find((e) => e.event_id === sent.event_id);
  observed.messages = { events: messages.chunk.length, readBack: readBack?.content?.body === body,
    sender: readBack?.sender };
  need(readBack?.content?.body === body && readBack.sender === me.user_id, "/messages does not return the message sent");

  const { devices } = await atSynapse("getDevices", () => client.getDevices());
  observed.devices = devices.map((d) => ({ device_id: d.device_id, display_name: d.display_name ?? null }));
  const own = devices.find((d) => d.device_id === me.device_id);
  need(own !== undefined, "GET /devices does not list the client's device");
  need(own.display_name === CLIENT_NAME, "the device does not carry the client's name");

  // 6. Refresh, and the new access token works at Synapse.
  progress.step = "refresh";
  const refreshed = await refresher.doRefreshAccessToken(tokens.refresh_token);
  client.setAccessToken(refreshed.accessToken);
  const afterRefresh = await atSynapse("whoami after refresh", () => client.whoami());
  observed.refresh = {
    rotated: refreshed.accessToken !== tokens.access_token && refreshed.refreshToken !== tokens.refresh_token,
    whoami: { status: 200, userId: afterRefresh.user_id, deviceId: afterRefresh.device_id },
    // Synapse caches introspection answers for 2 minutes: the replaced token may still work there. Reported only.
    oldAccessToken: await whoamiWith(baseUrl, tokens.access_token),
  };
  need(afterRefresh.user_id === me.user_id && afterRefresh.device_id === me.device_id,
    "whoami with the refreshed token names someone else");

  // 7. Sign-out at Gatehouse, as Element Web does it; then Synapse refuses the token.
  progress.step = "revocation";
  const oidc = signOutClient(completed, metadata, clientId);
  await oidc.revokeToken(refreshed.accessToken, "access_token");
  const afterRevocation = await whoamiWith(baseUrl, refreshed.accessToken);
  observed.revocation = { whoami: afterRevocation };
  need(afterRevocation.status === 401 && afterRevocation.errcode === "M_UNKNOWN_TOKEN",
    "Synapse still accepts the revoked access token");

  client.stopClient();
  console.log(JSON.stringify({ ok: true, node: process.version, ...observed }));
  process.exit(0);
}

setTimeout(() => stop("the script did not finish within 90 s"), 90000).unref();
main().catch((e) => stop(String(e?.stack ?? e)));
