// matrix-js-sdk 37.5.0 as a client that only knows the legacy login API (no OAuth 2.0): password login with and
// without refresh tokens, the SDK's own /refresh, logout, against Gatehouse alone or through the proxy in front of
// Synapse (GATEHOUSE_SYNAPSE=1), where the signed-in client also /syncs, creates a room and sends a message.
//
//   GATEHOUSE_BASE_URL=http://127.0.0.1:8080 GATEHOUSE_USERNAME=alice GATEHOUSE_PASSWORD=... \
//     [GATEHOUSE_SYNAPSE=1] node legacy-login-matrix-js-sdk.mjs
//
// Prints one JSON line with what was observed and exits 0, or {"ok": false, "error", "step", "observed"} and exits 1.
//
//  1. loginFlows(): m.login.password is offered;
//  2. loginRequest({type: "m.login.password", identifier: m.id.user, refresh_token: true,
//     initial_device_display_name}): user, device, access token, refresh token and expires_in_ms;
//  3. whoami with the token (and behind Synapse: /sync, createRoom, sendMessage, getDevices with the name);
//  4. refreshToken(refresh_token), the SDK's /v3/refresh: new tokens, whoami with the new access token;
//  5. a bot-style login without refresh_token: an access token only, which works; its logout(): whoami is then
//     refused, 401 M_UNKNOWN_TOKEN.
import { createClient, Method } from "matrix-js-sdk";
import { logger } from "matrix-js-sdk/lib/logger.js";
import { env, outcome, reporting, shapeOf } from "./lib/script.mjs";

const DEVICE_NAME = "matrix-js-sdk via /login";
const progress = { step: "start", observed: {} };
const { observed } = progress;
const { stop, need } = reporting(progress);

async function at(name, call) {
  progress.step = name;
  const result = await outcome(call);
  need(result.status === 200, `${name} failed`, { answer: result });
  return result.value;
}

async function main() {
  const baseUrl = env("GATEHOUSE_BASE_URL").replace(/\/$/, "");
  const username = env("GATEHOUSE_USERNAME");
  const password = env("GATEHOUSE_PASSWORD");
  const behindSynapse = process.env.GATEHOUSE_SYNAPSE === "1";
  logger.setLevel("warn");
  const anonymous = createClient({ baseUrl });

  const flows = await at("loginFlows", () => anonymous.loginFlows());
  observed.flows = flows.flows.map((f) => f.type);

  const login = await at("login", () => anonymous.loginRequest({
    type: "m.login.password",
    identifier: { type: "m.id.user", user: username },
    password,
    initial_device_display_name: DEVICE_NAME,
    refresh_token: true,
  }));
  observed.login = { userId: login.user_id, deviceId: login.device_id, accessShape: shapeOf(login.access_token),
    refreshShape: login.refresh_token ? shapeOf(login.refresh_token) : null, expiresInMs: login.expires_in_ms };
  need(login.refresh_token && login.expires_in_ms > 0, "no refresh token or expiry for a client that asked for one");

  const client = createClient({ baseUrl, accessToken: login.access_token, userId: login.user_id,
    deviceId: login.device_id });
  const me = await at("whoami", () => client.whoami());
  observed.whoami = { userId: me.user_id, deviceId: me.device_id };

  if (behindSynapse) {
    const sync = await at("sync", () => client.http.authedRequest(Method.Get, "/sync", { timeout: "0" }));
    observed.sync = { nextBatch: typeof sync.next_batch === "string" };
    const room = await at("createRoom", () => client.createRoom({ name: "legacy login", preset: "private_chat" }));
    const sent = await at("sendMessage", () => client.sendMessage(room.room_id, { msgtype: "m.text",
      body: "hello from a client that only knows /login" }));
    observed.sent = { roomId: room.room_id, eventId: sent.event_id };
    const { devices } = await at("getDevices", () => client.getDevices());
    observed.devices = devices.map((d) => ({ device_id: d.device_id, display_name: d.display_name ?? null }));
  }

  const refreshed = await at("refresh", () => client.refreshToken(login.refresh_token));
  observed.refresh = { rotated: refreshed.refresh_token !== login.refresh_token
    && refreshed.access_token !== login.access_token, expiresInMs: refreshed.expires_in_ms };
  const renewed = createClient({ baseUrl, accessToken: refreshed.access_token, userId: login.user_id,
    deviceId: login.device_id });
  const meAgain = await at("whoami after refresh", () => renewed.whoami());
  observed.refresh.whoami = { userId: meAgain.user_id, deviceId: meAgain.device_id };

  const second = await at("second login", () => anonymous.loginRequest({ type: "m.login.password",
    identifier: { type: "m.id.user", user: username }, password }));
  observed.bot = { refreshToken: second.refresh_token ?? null, expiresInMs: second.expires_in_ms ?? null };
  const bot = createClient({ baseUrl, accessToken: second.access_token, userId: second.user_id,
    deviceId: second.device_id });
  observed.bot.whoami = (await at("bot whoami", () => bot.whoami())).device_id === second.device_id;
  await at("logout", () => bot.logout());
  progress.step = "whoami after logout";
  const afterLogout = await outcome(() => bot.whoami());
  observed.afterLogout = { status: afterLogout.status, errcode: afterLogout.errcode ?? null };

  console.log(JSON.stringify({ ok: true, ...observed }));
}

main().then(() => process.exit(0), (e) => stop(String(e?.stack ?? e)));
