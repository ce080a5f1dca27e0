// @vector-im/matrix-bot-sdk 0.8.0-element.3 logging a bot in with a password (MatrixAuth.passwordLogin, the legacy
// login API), as most bots do, against Gatehouse alone or through the proxy in front of Synapse
// (GATEHOUSE_SYNAPSE=1), where the bot then creates a room, sends a message and reads it back.
//
//   GATEHOUSE_BASE_URL=http://127.0.0.1:8080 GATEHOUSE_USERNAME=bot GATEHOUSE_PASSWORD=... \
//     [GATEHOUSE_SYNAPSE=1] node legacy-login-bot-sdk.mjs
//
// Prints one JSON line with what was observed and exits 0, or {"ok": false, ...} and exits 1.
import sdk from "@vector-im/matrix-bot-sdk";
import { env, reporting } from "./lib/script.mjs";

const { LogLevel, LogService, MatrixAuth } = sdk;
const DEVICE_NAME = "a bot via matrix-bot-sdk";
const progress = { step: "start", observed: {} };
const { observed } = progress;
const { stop, need } = reporting(progress);

async function main() {
  const baseUrl = env("GATEHOUSE_BASE_URL").replace(/\/$/, "");
  LogService.setLevel(LogLevel.ERROR);
  progress.step = "passwordLogin";
  const client = await new MatrixAuth(baseUrl).passwordLogin(env("GATEHOUSE_USERNAME"), env("GATEHOUSE_PASSWORD"),
    DEVICE_NAME);
  progress.step = "whoami";
  const whoami = await client.getWhoAmI();
  observed.whoami = { userId: whoami.user_id, deviceId: whoami.device_id };
  need(whoami.device_id, "the bot's token names no device");
  if (process.env.GATEHOUSE_SYNAPSE === "1") {
    progress.step = "createRoom";
    const roomId = await client.createRoom({ preset: "private_chat", name: "bot room" });
    progress.step = "sendText";
    const eventId = await client.sendText(roomId, "beep from a bot that logged in with a password");
    progress.step = "getEvent";
    const event = await client.getEvent(roomId, eventId);
    observed.message = { sender: event.sender, body: event.content?.body };
    progress.step = "getOwnDevices";
    const devices = await client.getOwnDevices();
    observed.device = devices.find((d) => d.device_id === whoami.device_id) ?? null;
  }
  progress.step = "logout";
  await client.doRequest("POST", "/_matrix/client/v3/logout");
  progress.step = "whoami after logout";
  try {
    await client.getWhoAmI();
    observed.afterLogout = { status: 200 };
  } catch (e) {
    observed.afterLogout = { status: e.statusCode ?? null, errcode: e.body?.errcode ?? null };
  }
  console.log(JSON.stringify({ ok: true, ...observed }));
}

main().then(() => process.exit(0), (e) => stop(String(e?.stack ?? e)));
