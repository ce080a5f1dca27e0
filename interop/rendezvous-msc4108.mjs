// matrix-js-sdk's own MSC4108 (2024) rendezvous transport, MSC4108RendezvousSession, against a Gatehouse node.
//
//   GATEHOUSE_BASE_URL=http://127.0.0.1:8080 node rendezvous-msc4108.mjs
//
// Prints one JSON line with what happened and exits 0, or prints {"ok": false, "error": ...} and exits 1.
// The full QR login (device authorization grant) comes later; this drives the transport underneath it:
//  1. the new device's session object creates the rendezvous (the SDK first checks /_matrix/client/versions for
//     org.matrix.msc4108) and sends its offer;
//  2. a second session object, built from the URL alone as the scanning device does, receives it and answers;
//  3. the first receives the answer, sends once more, then cancels, which deletes the session.
// Then the same with a fetch that adds "Prefer: wait=10" to the SDK's polls: Gatehouse's long-poll extension
// answers the poll when the write lands instead of the SDK's one-second re-poll.
import { createClient } from "matrix-js-sdk";
import { logger } from "matrix-js-sdk/lib/logger.js";
import { MSC4108FailureReason, MSC4108RendezvousSession } from "matrix-js-sdk/lib/rendezvous/index.js";
import { fail, check, within, sleep } from "./lib/script.mjs";

const PREFIX = "/_matrix/client/unstable/org.matrix.msc4108/rendezvous/";

async function basicExchange(baseUrl, client) {
  const failures = { creator: [], joiner: [] };
  const creator = new MSC4108RendezvousSession({ client, onFailure: (r) => failures.creator.push(r) });
  await within(10000, creator.send("offer from the new device"), "create");
  check(creator.ready, "the creating session is not ready after its first send");
  check(typeof creator.url === "string" && creator.url.startsWith(baseUrl + PREFIX),
    "the session URL is not under the MSC4108 path of the node", { url: creator.url });

  const joiner = new MSC4108RendezvousSession({ url: creator.url, onFailure: (r) => failures.joiner.push(r) });
  const offer = await within(10000, joiner.receive(), "joiner receive");
  check(offer === "offer from the new device", "the joiner received the wrong offer", { offer });
  await within(10000, joiner.send("answer from the existing device"), "joiner send");

  const answer = await within(10000, creator.receive(), "creator receive");
  check(answer === "answer from the existing device", "the creator received the wrong answer", { answer });
  await within(10000, creator.send("second message"), "creator second send");
  const second = await within(10000, joiner.receive(), "joiner second receive");
  check(second === "second message", "the joiner received the wrong second message", { second });

  await within(10000, creator.cancel(MSC4108FailureReason.UserCancelled), "cancel");
  check(creator.cancelled, "the creator is not cancelled");
  const afterCancel = await fetch(creator.url);
  check(afterCancel.status === 404, "the session still exists after cancel", { status: afterCancel.status });
  // The other side learns that the session is gone the way the SDK does: its next poll gets a 404.
  const gone = await within(10000, joiner.receive(), "joiner receive after cancel");
  check(gone === undefined && joiner.cancelled, "the joiner did not notice the deleted session");
  check(JSON.stringify(failures.creator) === JSON.stringify(["user_cancelled"]), "unexpected creator failures",
    { failures });
  check(JSON.stringify(failures.joiner) === JSON.stringify(["unknown"]), "unexpected joiner failures", { failures });
  return { url: creator.url, offer, answer, second, failures };
}

async function longPolledExchange(client) {
  let polls = 0;
  // The SDK lets the caller supply fetch; this one asks Gatehouse to hold polls until something changes.
  const preferWait = (resource, options = {}) => {
    if ((options.method ?? "GET") === "GET") {
      polls++;
      options = { ...options, headers: { ...(options.headers ?? {}), prefer: "wait=10" } };
    }
    return fetch(resource, options);
  };
  const creator = new MSC4108RendezvousSession({ client });
  await within(10000, creator.send("offer"), "create");
  const joiner = new MSC4108RendezvousSession({ url: creator.url, fetchFn: preferWait });
  check(await within(10000, joiner.receive(), "first receive") === "offer", "the joiner received the wrong offer");

  const waiting = joiner.receive();
  await sleep(500);
  const sent = Date.now();
  await within(10000, creator.send("written while the joiner waits"), "send while waiting");
  const received = await within(15000, waiting, "long-polled receive");
  const wakeMs = Date.now() - sent;
  check(received === "written while the joiner waits", "the long-polled receive got the wrong data", { received });
  // One GET for the offer, one held GET answered by the write. Without the long-poll the held GET would have
  // come back 304 at once and the SDK would have polled again a second later.
  check(polls === 2, "the receive needed more than one held poll", { polls });
  await creator.cancel(MSC4108FailureReason.UserCancelled);
  return { polls, wakeMs };
}

async function main() {
  const baseUrl = (process.env.GATEHOUSE_BASE_URL ?? "").replace(/\/$/, "");
  check(baseUrl !== "", "GATEHOUSE_BASE_URL is not set");
  // The SDK logs every request at info level on stdout; only this script's JSON line belongs there.
  logger.setLevel("warn");
  const client = createClient({ baseUrl });
  check(await client.doesServerSupportUnstableFeature("org.matrix.msc4108"),
    "/_matrix/client/versions does not advertise org.matrix.msc4108");
  const basic = await basicExchange(baseUrl, client);
  const longPoll = await longPolledExchange(client);
  console.log(JSON.stringify({ ok: true, node: process.version, basic, longPoll }));
  process.exit(0);
}

setTimeout(() => fail("the script did not finish within 60 s"), 60000).unref();
main().catch((e) => fail(String(e?.stack ?? e)));
