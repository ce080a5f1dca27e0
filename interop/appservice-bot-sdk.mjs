// The appservice bot SDK (@vector-im/matrix-bot-sdk 0.8.0-element.3, its release with MSC4190 support) as a
// bridge uses it, against a Gatehouse node that has the appservice's registration (with io.element.msc4190: true)
// in its configuration.
//
//   GATEHOUSE_BASE_URL=http://127.0.0.1:8080 GATEHOUSE_SERVER_NAME=test.local GATEHOUSE_AS_TOKEN=... \
//   GATEHOUSE_HS_TOKEN=... GATEHOUSE_AS_SENDER=bridgebot GATEHOUSE_AS_USER_REGEX='@bridge_.*:test\.local' \
//   node appservice-bot-sdk.mjs
//
// Prints one JSON line with what happened and exits 0, or prints {"ok": false, "error": ...} and exits 1.
//
// The SDK's MSC4190 device path is Intent.enableEncryption(deviceId) (lib/appservice/Intent.js): it registers the
// user with "inhibit_login": true, creates the device with PUT /devices/{id}, checks with whoami as that device
// that the server knows it, and only then starts the end-to-end-encryption machine. That machine is the native
// add-on @matrix-org/matrix-sdk-crypto-nodejs, which cannot be installed here (its install script downloads a
// binary from GitHub) and is a local stub (see README.md): so the call ends with the stub's error, after the SDK
// has created and verified the device. Had the device path failed, the SDK would have fallen back to an
// appservice /login, which this server refuses (MSC4190): a different error, and a request the script records.
//
// With GATEHOUSE_AS_ROOMS=1 (behind Synapse), the device also creates a room and sends a message there.
//
// Renaming and deleting a device have no SDK call in any version: those go through the SDK's own
// MatrixClient.doRequest (its HTTP stack, auth header and impersonation parameters); each place says so.
import sdk from "@vector-im/matrix-bot-sdk";

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fail, check, env } from "./lib/script.mjs";

const { Appservice, LogService, LogLevel, MatrixClient, MatrixError, MemoryStorageProvider,
  RustSdkAppserviceCryptoStorageProvider } = sdk;

// Every request the SDK sends, as "METHOD /path" (no query string, so no token or assertion), in order.
const requests = [];
const doRequest = MatrixClient.prototype.doRequest;
MatrixClient.prototype.doRequest = function (method, endpoint, ...rest) {
  requests.push(`${method} ${endpoint}`);
  return doRequest.call(this, method, endpoint, ...rest);
};

/** Runs {@code call}, which must fail with a Matrix error; answers its status and errcode. */
async function matrixErrorOf(call, what) {
  try {
    const result = await call();
    return fail(`${what} succeeded but must fail`, { result });
  } catch (e) {
    check(e instanceof MatrixError, `${what} failed without a Matrix error`, { error: String(e) });
    return { status: e.statusCode, errcode: e.errcode };
  }
}

// The SDK logs every request and every error response; keep stdout for the one JSON line.
const toStderr = (level) => (module, ...parts) => console.error(`[bot-sdk ${level}] ${module}`, ...parts.map(
  (p) => (typeof p === "string" ? p : JSON.stringify(p))));
LogService.setLogger({ info: toStderr("info"), warn: toStderr("warn"), error: toStderr("error"),
  debug: toStderr("debug"), trace: toStderr("trace") });
LogService.setLevel(LogLevel.WARN);

const baseUrl = env("GATEHOUSE_BASE_URL").replace(/\/+$/, "");
const serverName = env("GATEHOUSE_SERVER_NAME");
const userRegex = env("GATEHOUSE_AS_USER_REGEX");
const storage = new MemoryStorageProvider();
// The SDK's own crypto store (plain files); only the OlmMachine behind it is the stub.
const cryptoDir = mkdtempSync(join(tmpdir(), "gatehouse-bot-sdk-"));
process.on("exit", () => rmSync(cryptoDir, { recursive: true, force: true }));
// Never begin()-ed: the test needs the SDK's client side only, not its transaction listener.
const appservice = new Appservice({
  homeserverName: serverName,
  homeserverUrl: baseUrl,
  bindAddress: "127.0.0.1",
  port: 0,
  storage,
  cryptoStorage: new RustSdkAppserviceCryptoStorageProvider(cryptoDir, 1),
  registration: {
    id: "bridge",
    url: null,
    as_token: env("GATEHOUSE_AS_TOKEN"),
    hs_token: env("GATEHOUSE_HS_TOKEN"),
    sender_localpart: env("GATEHOUSE_AS_SENDER"),
    rate_limited: false,
    namespaces: { users: [{ exclusive: true, regex: userRegex }], rooms: [], aliases: [] },
  },
});

async function run() {
  const result = {};

  // The appservice's own user: no assertion, so the server answers with the sender.
  result.sender = (await appservice.botClient.getWhoAmI()).user_id;
  check(result.sender === appservice.botUserId, "whoami as the appservice is not its sender", result);

  // A user of the namespace, by suffix as bridges do.
  const intent = appservice.getIntentForSuffix("alice");
  result.user_id = intent.userId;
  check(appservice.isNamespacedUser(intent.userId), "the SDK does not see its own user as namespaced", result);

  // The SDK's MSC4190 path: register (inhibit_login), create the device, verify it with whoami, start crypto.
  const deviceId = "BOTSDKDEVICE1";
  const before = requests.length;
  result.enable_encryption = await intent.enableEncryption(deviceId).then(() => "crypto ready",
    (e) => (e instanceof MatrixError ? `Matrix error ${e.statusCode} ${e.errcode}` : String(e?.message ?? e)));
  result.sdk_requests = requests.slice(before);
  check(/stubbed in the Gatehouse interop harness/.test(result.enable_encryption),
    "enableEncryption() did not get as far as the (stubbed) crypto machine", result);
  result.sdk_marked_registered = await storage.isUserRegistered(intent.userId);

  // The SDK's client is now the user on that device (unstable org.matrix.msc3202.device_id, MSC4326).
  const client = intent.underlyingClient;
  result.whoami_device = await client.getWhoAmI();
  check(result.whoami_device.device_id === deviceId, "whoami does not answer the SDK's device", result);
  check(result.whoami_device.user_id === intent.userId, "whoami does not answer the SDK's user", result);

  // Behind a homeserver (GATEHOUSE_AS_ROOMS=1: Synapse through the proxy), the device acts there: a room and a
  // message sent as it, read back. Gatehouse alone serves no room API.
  if (process.env.GATEHOUSE_AS_ROOMS === "1") {
    const roomId = await client.createRoom({ name: "Bridged room", preset: "private_chat" });
    // sendText() wants the SDK's crypto (stubbed here) in a client built for encryption: its doRequest instead.
    const { event_id: eventId } = await client.doRequest("PUT", `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}`
      + `/send/m.room.message/${Date.now()}`, null, { msgtype: "m.text", body: "hello from the bridge's device" });
    const event = await client.getEvent(roomId, eventId);
    result.room = { room_id: roomId, event_id: eventId, sender: event.sender, body: event.content?.body };
    check(event.sender === intent.userId && event.content?.body === "hello from the bridge's device",
      "the message sent as the device does not read back", result);
  }

  // Creating it again through the same path finds it (200): raw=true shows the status. doRequest: no SDK call.
  client.impersonateUserId(intent.userId);
  const again = await client.doRequest("PUT", `/_matrix/client/v3/devices/${deviceId}`, null, {}, 60000, true);
  result.device_put_again_status = again.statusCode;
  client.impersonateUserId(intent.userId, deviceId);

  // The SDK's device list.
  const listed = await client.getOwnDevices();
  result.devices_listed = listed.map((d) => d.device_id);

  // doRequest: renaming has no SDK call either; it is the spec's PUT /devices/{id} with a display_name.
  const renamed = await client.doRequest("PUT", `/_matrix/client/v3/devices/${deviceId}`, null,
    { display_name: "Alice's bridge" }, 60000, true);
  result.rename_status = renamed.statusCode;
  result.display_name = (await client.getOwnDevices()).find((d) => d.device_id === deviceId)?.display_name ?? null;

  // doRequest: the SDK has no call to delete a device (MSC4190: DELETE without User-Interactive Authentication).
  // Impersonating only the user: the appservice deletes one of its user's devices, it does not log itself out.
  client.impersonateUserId(intent.userId);
  const deleted = await client.doRequest("DELETE", `/_matrix/client/v3/devices/${deviceId}`, null, null, 60000, true);
  result.delete_status = deleted.statusCode;
  result.devices_after_delete = (await client.getOwnDevices()).map((d) => d.device_id);

  // The deleted device can no longer be asserted. The SDK sends the unstable parameter, so the unstable errcode.
  client.impersonateUserId(intent.userId, deviceId);
  result.whoami_deleted_device = await matrixErrorOf(() => client.getWhoAmI(), "whoami as the deleted device");

  // A user outside the namespace cannot be asserted at all.
  const outsider = appservice.getIntentForUserId(`@alice:${serverName}`);
  result.outsider_namespaced = appservice.isNamespacedUser(outsider.userId);
  result.whoami_outsider = await matrixErrorOf(() => outsider.underlyingClient.getWhoAmI(), "whoami outside namespace");

  return result;
}

try {
  const result = await run();
  console.log(JSON.stringify({ ok: true, ...result }));
  process.exit(0);
} catch (e) {
  fail(e instanceof MatrixError ? `Matrix error ${e.statusCode} ${e.errcode}: ${e.error}`
    : e?.statusCode ? `HTTP ${e.statusCode}` : String(e?.stack ?? e));
}
