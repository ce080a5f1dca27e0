// The appservice bot SDK (@vector-im/matrix-bot-sdk 0.7.0) as a bridge uses it, against a Gatehouse node that
// has the appservice's registration (with io.element.msc4190: true) in its configuration.
//
//   GATEHOUSE_BASE_URL=http://127.0.0.1:8080 GATEHOUSE_SERVER_NAME=test.local GATEHOUSE_AS_TOKEN=... \
//   GATEHOUSE_HS_TOKEN=... GATEHOUSE_AS_SENDER=bridgebot GATEHOUSE_AS_USER_REGEX='@bridge_.*:test\.local' \
//   node appservice-bot-sdk.mjs
//
// Prints one JSON line with what happened and exits 0, or prints {"ok": false, "error": ...} and exits 1.
// Encryption stays off: the SDK's native crypto add-on is a local stub here (see README.md).
//
// What the SDK offers, read from its source (lib/appservice/Intent.js, lib/MatrixClient.js), and what it does not:
//  - Appservice / Intent build one MatrixClient per namespaced user on the as_token; impersonateUserId(user, device)
//    adds ?user_id= and the UNSTABLE ?org.matrix.msc3202.device_id= (MSC4326) to every request; getWhoAmI() and
//    getOwnDevices() are its public calls for "who am I" and "my devices". Those are used as they are.
//  - 0.7.0 has no MSC4190 support: no io.element.msc4190 option, no call that creates, renames or deletes a device,
//    and Intent.ensureRegistered() posts /register WITHOUT "inhibit_login": true, which MSC4190 makes a
//    400 M_APPSERVICE_LOGIN_UNSUPPORTED on a server that signs in through OAuth. (Its prerelease 0.8.0-element.3
//    sends inhibit_login and creates the device with PUT /devices/{id}, body {}, inside enableEncryption(), which
//    needs the real crypto add-on; no version has a call to rename or delete a device.) So registration, device
//    creation, renaming and deletion go through the SDK's own MatrixClient.doRequest — still its HTTP stack, its
//    auth header and its impersonation parameters — registration and creation with the exact requests of that
//    prerelease; each place says why.
import sdk from "@vector-im/matrix-bot-sdk";

const { Appservice, LogService, LogLevel, MatrixError, MemoryStorageProvider } = sdk;

function fail(message, details = {}) {
  console.log(JSON.stringify({ ok: false, error: message, ...details }));
  process.exit(1);
}

function check(condition, message, details) {
  if (!condition) {
    fail(message, details);
  }
}

function env(name) {
  const value = process.env[name];
  if (!value) {
    fail(`environment variable ${name} is not set`);
  }
  return value;
}

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
// Never begin()-ed: the test needs the SDK's client side only, not its transaction listener.
const appservice = new Appservice({
  homeserverName: serverName,
  homeserverUrl: baseUrl,
  bindAddress: "127.0.0.1",
  port: 0,
  storage,
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

  // The SDK's own registration (no inhibit_login) is refused as MSC4190 prescribes.
  result.sdk_register = await matrixErrorOf(() => intent.ensureRegistered(), "Intent.ensureRegistered()");
  check(!(await storage.isUserRegistered(intent.userId)), "the SDK marked a refused user as registered", result);

  // doRequest: 0.7.0 cannot send inhibit_login (see the top). The bot client does not impersonate anyone, so this
  // is the plain appservice /register of the spec; the user is then marked registered in the SDK's storage, which
  // is what ensureRegistered() does after its own successful call.
  const registered = await appservice.botClient.doRequest("POST", "/_matrix/client/v3/register", null, {
    type: "m.login.application_service",
    username: intent.userId.substring(1).split(":")[0],
    inhibit_login: true,
  });
  result.registered = registered;
  check(registered.user_id === intent.userId, "register answered another user", result);
  check(!("access_token" in registered) && !("device_id" in registered),
    "register with inhibit_login returned credentials", result);
  await storage.addRegisteredUser(intent.userId);
  await intent.ensureRegistered(); // now a no-op in the SDK

  // The asserted user without a device.
  const plain = await intent.underlyingClient.getWhoAmI();
  result.whoami_user = plain;
  check(plain.user_id === intent.userId && plain.device_id === undefined, "whoami as the user is wrong", result);

  // doRequest: no SDK call creates a device in 0.7.0. This is the request 0.8.0-element.3 sends (body {}), with the
  // intent's ?user_id= added by the SDK. raw=true to see 201 (created) against 200 (exists).
  const deviceId = "BOTSDKDEVICE1";
  const client = intent.underlyingClient;
  const created = await client.doRequest("PUT", `/_matrix/client/v3/devices/${deviceId}`, null, {}, 60000, true);
  const again = await client.doRequest("PUT", `/_matrix/client/v3/devices/${deviceId}`, null, {}, 60000, true);
  result.device_put_status = [created.statusCode, again.statusCode];

  // The SDK's device impersonation (unstable parameter), verified the way the SDK itself does it: whoami must
  // answer the device.
  client.impersonateUserId(intent.userId, deviceId);
  result.whoami_device = await client.getWhoAmI();
  check(result.whoami_device.device_id === deviceId, "whoami does not answer the impersonated device", result);
  check(result.whoami_device.user_id === intent.userId, "whoami does not answer the impersonated user", result);

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
