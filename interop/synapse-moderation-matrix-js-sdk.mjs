// Suspension and locking (MSC4323 at Gatehouse) as a real Synapse enforces them, seen by matrix-js-sdk 37.5.0
// clients through the reverse proxy (conf/synapse/nginx.conf routes .../admin/{suspend,lock}/ to Gatehouse and the
// rest of the Matrix API to Synapse).
//
//   GATEHOUSE_BASE_URL=http://127.0.0.1:8000 GATEHOUSE_ADMIN_TOKEN=... \
//   GATEHOUSE_SUSPENDED_USER=@sam:hs GATEHOUSE_SUSPENDED_TOKEN=... \
//   GATEHOUSE_LOCKED_USER=@lou:hs GATEHOUSE_LOCKED_TOKEN_SEEN=... GATEHOUSE_LOCKED_TOKEN_UNSEEN=... \
//   GATEHOUSE_LOCKED_TOKEN_LATER=... node synapse-moderation-matrix-js-sdk.mjs
//
// The admin token carries the admin scope; every user token is a signed-in device of that user. The three tokens of
// the locked user are three sessions: one Synapse has seen before the lock (its introspection cache holds it), one
// it first sees after the lock, and one used only after the unlock. Prints one JSON line with what was observed and
// exits 0, or {"ok": false, "error", "step", "observed"} and exits 1.
//
//  1. the locked user's first session works at Synapse (whoami), so Synapse has cached its introspection;
//  2. the admin locks the account at Gatehouse; a session Synapse has not seen is refused at once (introspection
//     says inactive: 401 M_UNKNOWN_TOKEN);
//  3. the suspended user creates a room and sends a message; the admin suspends the account at Gatehouse, which
//     pushes the suspension to Synapse; sending is then refused with 403 M_USER_SUSPENDED (and so is changing the
//     display name), while whoami, /sync and /messages keep working; the admin lifts the suspension and sending
//     works again;
//  4. the locked user's first session is refused once Synapse's 2-minute introspection cache has lapsed;
//  5. the admin unlocks the account; a session used only now works, and its device list still has the devices of
//     the sessions from before the lock (a lock keeps them).
import { ClientPrefix, createClient, Direction, Method } from "matrix-js-sdk";
import { logger } from "matrix-js-sdk/lib/logger.js";
import { env, outcome, reporting, sleep } from "./lib/script.mjs";

const progress = { step: "start", observed: {} };
const { observed } = progress;
const { stop, need } = reporting(progress);

/** Repeats {@code call} until {@code done(outcome)} or {@code ms} pass: {outcome, attempts, elapsedMs, done}. */
async function until(call, done, ms, pauseMs = 250) {
  const started = Date.now();
  let attempts = 0;
  for (;;) {
    attempts += 1;
    const result = await outcome(call);
    if (done(result)) {
      return { outcome: result, attempts, elapsedMs: Date.now() - started, done: true };
    }
    if (Date.now() - started > ms) {
      return { outcome: result, attempts, elapsedMs: Date.now() - started, done: false };
    }
    await sleep(pauseMs);
  }
}

/** PUT or GET an MSC4323 endpoint (stable path) as the admin; the answer's JSON or the failure. */
function moderation(admin, action, userId, value) {
  const path = `/admin/${action}/${encodeURIComponent(userId)}`;
  const key = action === "suspend" ? "suspended" : "locked";
  return value === undefined
    ? outcome(() => admin.http.authedRequest(Method.Get, path, undefined, undefined, { prefix: ClientPrefix.V1 }))
    : outcome(() => admin.http.authedRequest(Method.Put, path, undefined, { [key]: value }, { prefix: ClientPrefix.V1 }));
}

const refusedAsUnknownToken = (o) => o.status === 401 && o.errcode === "M_UNKNOWN_TOKEN";
const refusedAsSuspended = (o) => o.status === 403 && o.errcode === "M_USER_SUSPENDED";
const succeeded = (o) => o.status === 200;

function text(body) {
  return { msgtype: "m.text", body };
}

async function main() {
  const baseUrl = env("GATEHOUSE_BASE_URL").replace(/\/$/, "");
  logger.setLevel("warn");
  const admin = createClient({ baseUrl, accessToken: env("GATEHOUSE_ADMIN_TOKEN") });
  const suspendedId = env("GATEHOUSE_SUSPENDED_USER");
  const lockedId = env("GATEHOUSE_LOCKED_USER");
  const suspended = createClient({ baseUrl, accessToken: env("GATEHOUSE_SUSPENDED_TOKEN"), userId: suspendedId });
  const seen = createClient({ baseUrl, accessToken: env("GATEHOUSE_LOCKED_TOKEN_SEEN"), userId: lockedId });
  const unseen = createClient({ baseUrl, accessToken: env("GATEHOUSE_LOCKED_TOKEN_UNSEEN"), userId: lockedId });
  const later = createClient({ baseUrl, accessToken: env("GATEHOUSE_LOCKED_TOKEN_LATER"), userId: lockedId });

  // 1. Synapse sees (and caches) the first session of the user about to be locked.
  progress.step = "locked user before the lock";
  const before = await outcome(() => seen.whoami());
  observed.lockedBefore = { status: before.status, userId: before.value?.user_id, deviceId: before.value?.device_id };
  need(succeeded(before), "the locked user's session does not work at Synapse before the lock", { before });

  // 2. The lock, and a session Synapse had not seen.
  progress.step = "lock";
  const lock = await moderation(admin, "lock", lockedId, true);
  const lockedAt = Date.now();
  observed.lock = { status: lock.status, answer: lock.value ?? lock };
  need(succeeded(lock) && lock.value.locked === true, "the admin could not lock the account", { lock });
  const unseenAfterLock = await outcome(() => unseen.whoami());
  observed.lockedUnseenSession = { status: unseenAfterLock.status, errcode: unseenAfterLock.errcode ?? null };

  // 3. Suspension.
  progress.step = "suspended user before the suspension";
  const room = await outcome(() => suspended.createRoom({ name: "before the suspension", preset: "private_chat" }));
  need(succeeded(room), "the user to be suspended cannot create a room", { room });
  const roomId = room.value.room_id;
  const first = await outcome(() => suspended.sendMessage(roomId, text("sent before the suspension")));
  need(succeeded(first), "the user to be suspended cannot send", { first });

  progress.step = "suspend";
  const suspend = await moderation(admin, "suspend", suspendedId, true);
  observed.suspend = { status: suspend.status, answer: suspend.value ?? suspend };
  need(succeeded(suspend) && suspend.value.suspended === true, "the admin could not suspend the account", { suspend });
  const status = await moderation(admin, "suspend", suspendedId);
  observed.suspendStatus = status.value ?? status;
  // Gatehouse answered once the suspension was recorded; Synapse has it once the connector's queued call went.
  const enforced = await until(() => suspended.sendMessage(roomId, text("sent while the suspension is pushed")),
    refusedAsSuspended, 30_000);
  observed.sendWhileSuspended = { ...enforced.outcome, value: undefined, attempts: enforced.attempts,
    elapsedMs: enforced.elapsedMs };
  need(enforced.done, "Synapse does not refuse the suspended user's message", { enforced });

  progress.step = "suspended user reads";
  const whoami = await outcome(() => suspended.whoami());
  const sync = await outcome(() => suspended.http.authedRequest(Method.Get, "/sync", { timeout: "0" }));
  const messages = await outcome(() => suspended.createMessagesRequest(roomId, null, 20, Direction.Backward));
  const displayName = await outcome(() => suspended.setDisplayName("A new name while suspended"));
  observed.whileSuspended = {
    whoami: whoami.status,
    sync: { status: sync.status, nextBatch: typeof sync.value?.next_batch === "string",
      inRoom: Object.keys(sync.value?.rooms?.join ?? {}).includes(roomId) },
    messages: { status: messages.status,
      readBack: (messages.value?.chunk ?? []).some((e) => e.content?.body === "sent before the suspension") },
    setDisplayName: { status: displayName.status, errcode: displayName.errcode ?? null },
  };

  progress.step = "unsuspend";
  const unsuspend = await moderation(admin, "suspend", suspendedId, false);
  observed.unsuspend = { status: unsuspend.status, answer: unsuspend.value ?? unsuspend };
  need(succeeded(unsuspend) && unsuspend.value.suspended === false, "the admin could not lift the suspension");
  const lifted = await until(() => suspended.sendMessage(roomId, text("sent after the suspension")), succeeded,
    30_000);
  observed.sendAfterSuspension = { status: lifted.outcome.status, errcode: lifted.outcome.errcode ?? null,
    attempts: lifted.attempts, elapsedMs: lifted.elapsedMs };

  // 4. The session Synapse had cached before the lock: refused once the cache lapsed (2 minutes at most).
  progress.step = "locked user's cached session";
  const cached = await until(() => seen.whoami(), refusedAsUnknownToken, 150_000, 2_000);
  observed.lockedSeenSession = { status: cached.outcome.status, errcode: cached.outcome.errcode ?? null,
    refusedAfterMs: Date.now() - lockedAt, done: cached.done };

  // 5. Unlock: the account works again and kept its devices.
  progress.step = "unlock";
  const unlock = await moderation(admin, "lock", lockedId, false);
  observed.unlock = { status: unlock.status, answer: unlock.value ?? unlock };
  need(succeeded(unlock) && unlock.value.locked === false, "the admin could not unlock the account", { unlock });
  const afterUnlock = await outcome(() => later.whoami());
  const devices = await outcome(() => later.getDevices());
  observed.afterUnlock = { whoami: afterUnlock.status,
    devices: (devices.value?.devices ?? []).map((d) => d.device_id).sort() };

  console.log(JSON.stringify({ ok: true, ...observed }));
}

main().then(() => process.exit(0), (e) => stop(String(e?.stack ?? e)));
