// The legacy SSO login (m.login.sso, then m.login.token) as a client that predates OAuth 2.0 does it, with
// matrix-js-sdk 37.5.0 for the API and headless Chromium for the person: the app asks for the flows, sends the
// browser to getSsoLoginUrl(), the person signs in on Gatehouse's page and is asked "continue to <host>?", the
// browser lands back on the app with a loginToken, which the app exchanges with loginRequest({type:
// "m.login.token"}). Against Gatehouse alone or, with GATEHOUSE_SYNAPSE=1, through the proxy in front of Synapse,
// where the app then /syncs.
//
//   GATEHOUSE_BASE_URL=http://127.0.0.1:8080 GATEHOUSE_USER=alice GATEHOUSE_PASSWORD=... [GATEHOUSE_SYNAPSE=1] \
//     node browser-legacy-sso.mjs
//
// Prints one JSON line of what was seen.
import { createClient, Method } from "matrix-js-sdk";
import { logger } from "matrix-js-sdk/lib/logger.js";
import { launchBrowser } from "./lib/browser.mjs";
import { baseUrl, check, clickButton, env, localSite, open, runScript, seen, signInOnPage } from "./lib/pages.mjs";

const base = baseUrl();
const username = env("GATEHOUSE_USER", "alice");
const password = env("GATEHOUSE_PASSWORD", "correct horse battery");
let browser;
let site;

await runScript(async (facts) => {
  logger.setLevel("warn");
  site = await localSite();
  const app = createClient({ baseUrl: base });
  const { flows } = await app.loginFlows();
  facts.flows = flows.map((f) => f.type);
  const sso = flows.find((f) => f.type === "m.login.sso");
  check(sso, "no m.login.sso flow", { flows });
  facts.identityProviders = sso.identity_providers.map((p) => p.id);

  // The app's own return address (a loopback page here, as desktop apps use).
  const returnTo = `${site.redirectUri}?from=sso`;
  const ssoUrl = app.getSsoLoginUrl(returnTo, "sso", sso.identity_providers[0].id);
  browser = await launchBrowser();
  const page = await browser.newPage();
  const first = await open(page, ssoUrl);
  facts.signInPage = { path: new URL(page.url()).pathname, status: first.status() };
  check(facts.signInPage.path === "/login", "the SSO redirect did not lead to the sign-in page", facts.signInPage);
  await signInOnPage(page, username, password);
  facts.question = await seen(page, null);
  check(facts.question.heading === `Continue to ${new URL(returnTo).host}?`, "no 'continue to' question",
    facts.question);
  await clickButton(page, `Continue to ${new URL(returnTo).host}`);
  const landed = new URL(page.url());
  facts.landed = { origin: landed.origin === site.origin ? "app" : landed.origin, from: landed.searchParams.get("from"),
    tokenShape: (landed.searchParams.get("loginToken") ?? "").slice(0, 4) };
  const loginToken = landed.searchParams.get("loginToken");
  check(loginToken, "the browser came back without a loginToken", facts.landed);

  const login = await app.loginRequest({ type: "m.login.token", token: loginToken,
    initial_device_display_name: "matrix-js-sdk via SSO" });
  facts.login = { userId: login.user_id, deviceId: login.device_id };
  const client = createClient({ baseUrl: base, accessToken: login.access_token, userId: login.user_id,
    deviceId: login.device_id });
  facts.whoami = (await client.whoami()).device_id === login.device_id;
  if (process.env.GATEHOUSE_SYNAPSE === "1") {
    const sync = await client.http.authedRequest(Method.Get, "/sync", { timeout: "0" });
    facts.sync = { nextBatch: typeof sync.next_batch === "string" };
  }
  try {
    await app.loginRequest({ type: "m.login.token", token: loginToken });
    facts.secondUse = { status: 200 };
  } catch (e) {
    facts.secondUse = { status: e.httpStatus, errcode: e.errcode };
  }
}, async () => {
  await browser?.close();
  await site?.close();
});
