// A person manages their account on Gatehouse's account page (MSC4191) in headless Chromium, opening the URLs a
// Matrix client builds from account_management_uri and each action of account_management_actions_supported.
//
//   GATEHOUSE_BASE_URL=http://127.0.0.1:8080 GATEHOUSE_USER=carol GATEHOUSE_PASSWORD=... node browser-account-page.mjs
//
// The person signs in on the page, then three applications sign them in through the browser (three devices with
// tokens). Then: the profile, the device list under both spellings (and clicking a device in it), a device's page
// under both spellings, signing a device out (explained first, then a POST with the CSRF token: its token stops
// working, the others do not) under both spellings, a hostile site's form that tries the same without the token
// (refused), signing the browser out and the sign-in it takes to reach a destructive action again, and finally
// deactivating the account (the user ID typed to confirm; afterwards every token and the password are refused).
// Prints one JSON line of what the person saw and what the tokens did.
import { launchBrowser } from "./lib/browser.mjs";
import {
  authorizeInBrowser, baseUrl, check, clickButton, clickLink, env, formFacts, localSite, metadata, nativeClient, open,
  readForm, redirectsBefore, registerClient, runScript, screenshot, seen, signInOnPage, whoami,
} from "./lib/pages.mjs";

const base = baseUrl();
const username = env("GATEHOUSE_USER", "carol");
const password = env("GATEHOUSE_PASSWORD", "correct horse battery");
const clientName = env("GATEHOUSE_CLIENT_NAME", "Account Test Client");
const DEVICES = ["ACCOUNTDEV1", "ACCOUNTDEV2", "ACCOUNTDEV3"];

let browser;
let site;

/** The URL a client opens for an action (MSC4191: query parameters on account_management_uri). */
function actionUrl(meta, action, deviceId) {
  const url = new URL(meta.account_management_uri);
  url.searchParams.set("action", action);
  if (deviceId) {
    url.searchParams.set("device_id", deviceId);
  }
  return url.toString();
}

async function tokensStatus(tokens) {
  const statuses = {};
  for (const [device, token] of Object.entries(tokens)) {
    statuses[device] = (await whoami(base, token)).status;
  }
  return statuses;
}

/** Opens a session_end / device_delete link, reads the explanation and the form, presses the button. */
async function endSession(page, meta, action, deviceId, tokens) {
  const shown = await open(page, actionUrl(meta, action, deviceId));
  const facts = {
    confirmation: await seen(page, shown),
    form: formFacts(await readForm(page, `Sign out ${deviceId}`)),
  };
  facts.tokensAfterViewing = await tokensStatus(tokens);
  await screenshot(page, `account-${action.split(".").pop()}`);
  const done = await clickButton(page, `Sign out ${deviceId}`);
  facts.result = await seen(page, done);
  facts.tokensAfter = await tokensStatus(tokens);
  return facts;
}

/** A page on another site with a button that posts a device sign-out to Gatehouse, without the CSRF token. */
async function hostileSite(page, deviceId, tokens) {
  const url = site.serve("/prize", `<!DOCTYPE html><title>You won!</title>
    <form method="post" action="${base}/account">
    <input type="hidden" name="action" value="org.matrix.session_end">
    <input type="hidden" name="device_id" value="${deviceId}">
    <button type="submit">Claim your prize</button></form>`);
  await open(page, url);
  const landed = await clickButton(page, "Claim your prize");
  return { page: await seen(page, landed), tokensAfter: await tokensStatus(tokens) };
}

await runScript(async (facts) => {
  const meta = await metadata(base);
  facts.metadata = {
    accountManagementUri: meta.account_management_uri,
    actions: meta.account_management_actions_supported,
  };
  site = await localSite();
  const clientId = await registerClient(meta, nativeClient(clientName));
  browser = await launchBrowser();
  const page = await browser.newPage();

  // The account page asks who you are first, then shows the profile.
  const login = await open(page, meta.account_management_uri);
  facts.firstVisit = { ...(await seen(page, login)), redirects: await redirectsBefore(login) };
  const profile = await signInOnPage(page, username, password);
  facts.profile = {
    ...(await seen(page, profile)),
    links: (await page.locator("main a").allInnerTexts()).map((t) => t.trim()),
  };
  await screenshot(page, "account-profile");
  const explicitProfile = await open(page, actionUrl(meta, "org.matrix.profile"));
  facts.profileAction = (await seen(page, explicitProfile)).heading;

  // Three applications sign in through this browser: the person only presses Allow each time.
  const tokens = {};
  for (const deviceId of DEVICES) {
    const signedIn = await authorizeInBrowser(page, meta, site, { clientId, deviceId, username, password });
    tokens[deviceId] = signedIn.access_token;
  }
  facts.tokensAtStart = await tokensStatus(tokens);

  facts.lists = {};
  for (const action of ["org.matrix.sessions_list", "org.matrix.devices_list"]) {
    const list = await open(page, actionUrl(meta, action));
    facts.lists[action] = { ...(await seen(page, list)),
      devices: (await page.locator("main table td:first-child").allInnerTexts()).map((t) => t.trim()) };
  }
  await screenshot(page, "account-devices");
  // Clicking a device in the list opens its page.
  const clicked = await clickLink(page, DEVICES[0]);
  facts.clickedDevice = { ...(await seen(page, clicked)), url: new URL(page.url()).search };
  await screenshot(page, "account-device");

  facts.views = {};
  for (const action of ["org.matrix.session_view", "org.matrix.device_view"]) {
    const view = await open(page, actionUrl(meta, action, DEVICES[1]));
    const rows = {};
    for (const row of await page.locator("main table tr").all()) {
      rows[(await row.locator("th").innerText()).trim()] = (await row.locator("td").innerText()).trim();
    }
    facts.views[action] = { ...(await seen(page, view)), rows };
  }

  facts.sessionEnd = await endSession(page, meta, "org.matrix.session_end", DEVICES[0], tokens);
  facts.hostile = await hostileSite(page, DEVICES[1], tokens);
  await screenshot(page, "account-hostile-post");
  facts.deviceDelete = await endSession(page, meta, "org.matrix.device_delete", DEVICES[1], tokens);

  // "Sign out of this browser" on the profile; a destructive link then needs the password again, and the
  // sign-in leads back to it.
  await open(page, meta.account_management_uri);
  const signedOut = await clickButton(page, "Sign out of this browser");
  facts.signedOut = await seen(page, signedOut);
  const needsSignIn = await open(page, actionUrl(meta, "org.matrix.account_deactivate"));
  facts.deactivateSignedOut = { ...(await seen(page, needsSignIn)), redirects: await redirectsBefore(needsSignIn) };
  const deactivate = await signInOnPage(page, username, password);
  facts.deactivate = {
    confirmation: { ...(await seen(page, deactivate)), query: Object.fromEntries(new URL(page.url()).searchParams) },
    form: formFacts(await readForm(page, "Deactivate my account")),
  };
  await screenshot(page, "account-deactivate");

  await page.getByLabel("Type your user ID to confirm").fill(`@${username}:someone.else`);
  const mistyped = await clickButton(page, "Deactivate my account");
  facts.deactivate.mistyped = await seen(page, mistyped);
  facts.deactivate.tokensAfterMistyped = await tokensStatus(tokens);
  await screenshot(page, "account-deactivate-mistyped");
  const userId = facts.profile.text.match(/Signed in as (@[^ ]+?)\.? /)?.[1];
  check(userId, "the profile did not show the user ID", { profile: facts.profile.text });
  await page.getByLabel("Type your user ID to confirm").fill(userId);
  const deactivated = await clickButton(page, "Deactivate my account");
  facts.deactivate.result = await seen(page, deactivated);
  facts.deactivate.tokensAfter = await tokensStatus(tokens);
  await screenshot(page, "account-deactivated");

  // The account page and the password no longer let anyone in.
  const again = await open(page, meta.account_management_uri);
  facts.afterDeactivation = { page: (await seen(page, again)).path };
  const refused = await signInOnPage(page, username, password);
  facts.afterDeactivation.signIn = await seen(page, refused);
}, async () => {
  await browser?.close();
  await site?.close();
});
