// A person approves a cross-signing reset (MSC4312) on Gatehouse's account page in headless Chromium, and the
// homeserver (this script, with fetch and its introspection secret) sees and uses the approval.
//
//   GATEHOUSE_BASE_URL=http://127.0.0.1:8080 GATEHOUSE_USER=dave GATEHOUSE_PASSWORD=... \
//   GATEHOUSE_HOMESERVER_SECRET=... node browser-cross-signing-reset.mjs
//
// Before: the homeserver finds no approval and cannot consume one. The person's app opens the
// org.matrix.cross_signing_reset link; the person signs in, reads what a reset means (and merely looking changes
// nothing), and presses "Approve the reset". Then the homeserver sees the open window, consumes it once, and the
// second consume is refused: one approval allows one reset. A caller without the homeserver's secret learns
// nothing. Prints one JSON line of what the person saw and what the homeserver got.
import { launchBrowser } from "./lib/browser.mjs";
import {
  baseUrl, clickButton, env, formFacts, metadata, open, readForm, redirectsBefore, runScript, screenshot, seen,
  signInOnPage,
} from "./lib/pages.mjs";

const base = baseUrl();
const username = env("GATEHOUSE_USER", "dave");
const password = env("GATEHOUSE_PASSWORD", "correct horse battery");
const secret = env("GATEHOUSE_HOMESERVER_SECRET", "cluster-test-introspection-secret");
const serverName = env("GATEHOUSE_SERVER_NAME", "test.local");
const userId = `@${username}:${serverName}`;
const endpoint = `${base}/_gatehouse/homeserver/v1/cross_signing_reset/${encodeURIComponent(userId)}`;

let browser;

/** The homeserver asks (GET) or consumes (POST …/consume); {status, body}. */
async function homeserver(method, { bearer = secret } = {}) {
  const response = await fetch(method === "GET" ? endpoint : `${endpoint}/consume`, {
    method, headers: { authorization: `Bearer ${bearer}` },
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

await runScript(async (facts) => {
  const meta = await metadata(base);
  facts.userId = userId;
  facts.before = { status: await homeserver("GET"), consume: await homeserver("POST") };

  browser = await launchBrowser();
  const page = await browser.newPage();
  const link = new URL(meta.account_management_uri);
  link.searchParams.set("action", "org.matrix.cross_signing_reset");
  const login = await open(page, link.toString());
  facts.signInFirst = { ...(await seen(page, login)), redirects: await redirectsBefore(login) };
  const confirmation = await signInOnPage(page, username, password);
  facts.confirmation = {
    ...(await seen(page, confirmation)),
    query: Object.fromEntries(new URL(page.url()).searchParams),
    form: formFacts(await readForm(page, "Approve the reset")),
  };
  await screenshot(page, "cross-signing-reset");
  facts.afterViewing = await homeserver("GET");

  const approved = await clickButton(page, "Approve the reset");
  facts.approved = await seen(page, approved);
  await screenshot(page, "cross-signing-reset-approved");

  facts.after = {
    wrongSecret: await homeserver("GET", { bearer: "not-the-homeserver-secret" }),
    status: await homeserver("GET"),
    consume: await homeserver("POST"),
    consumeAgain: await homeserver("POST"),
    statusAfterConsume: await homeserver("GET"),
  };
}, async () => {
  await browser?.close();
});
