// A person links a new device (the device authorization grant, RFC 8628 / MSC4341) on Gatehouse's /link page in
// headless Chromium, while the new device (this script, with fetch) polls the token endpoint as RFC 8628 says.
//
//   GATEHOUSE_BASE_URL=http://127.0.0.1:8080 GATEHOUSE_USER=alice GATEHOUSE_PASSWORD=... node browser-device-link.mjs
//
// 1. The new device starts a grant; the person opens verification_uri, mistypes the code (an error and the form
//    again), types the real one as people do (lower case, no dash), signs in, reads which application, device ID
//    and address asks, and approves. The device's poll then gets tokens; whoami and GET /devices/{id} show the
//    device.
// 2. A second grant: the person follows verification_uri_complete (the code comes with the link; they are still
//    signed in), sees the same code on the page, and denies; the device's poll gets access_denied.
// Prints one JSON line of what the person saw and what the device received.
import { launchBrowser } from "./lib/browser.mjs";
import {
  apiScope, baseUrl, check, clickButton, env, formFacts, metadata, open, readForm, redirectsBefore, registerClient,
  runScript, screenshot, seen, signInOnPage, tokenRequest, whoami,
} from "./lib/pages.mjs";

const base = baseUrl();
const username = env("GATEHOUSE_USER", "alice");
const password = env("GATEHOUSE_PASSWORD", "correct horse battery");
const clientName = env("GATEHOUSE_CLIENT_NAME", "QR Login Test Device");
const userAgent = "GatehouseQrTest/1.0 (new device)";
const DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code";

let browser;

/** The new device asks for a device code and a user code. */
async function startGrant(meta, clientId, deviceId) {
  const response = await fetch(meta.device_authorization_endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "user-agent": userAgent },
    body: new URLSearchParams({ client_id: clientId, scope: apiScope(deviceId) }).toString(),
  });
  const body = await response.json();
  check(response.status === 200, "the device authorization request failed", { status: response.status, body });
  return body;
}

/**
 * The new device polls until it gets tokens or a final error, waiting `interval` seconds between polls (5 more
 * after slow_down), as RFC 8628 §3.5 asks. Returns every error it saw and the final answer.
 */
function poll(meta, clientId, grant) {
  const seenErrors = [];
  const done = (async () => {
    let interval = grant.interval;
    const deadline = Date.now() + grant.expires_in * 1000;
    while (Date.now() < deadline) {
      const answer = await tokenRequest(meta, {
        grant_type: DEVICE_CODE, device_code: grant.device_code, client_id: clientId,
      });
      if (answer.status === 200) {
        return answer;
      }
      seenErrors.push(answer.body.error);
      if (answer.body.error === "slow_down") {
        interval += 5;
      } else if (answer.body.error !== "authorization_pending") {
        return answer;
      }
      await new Promise((resolve) => setTimeout(resolve, interval * 1000));
    }
    return { status: 0, body: { error: "gave up" } };
  })();
  return { seenErrors, done };
}

/** The facts of the confirmation page, read off its table and text. */
async function confirmation(page, response) {
  const rows = {};
  for (const row of await page.locator("main table tr").all()) {
    rows[(await row.locator("th").innerText()).trim()] = (await row.locator("td").innerText()).trim();
  }
  return {
    ...(await seen(page, response)),
    rows,
    approveForm: formFacts(await readForm(page, "Approve")),
    denyForm: formFacts(await readForm(page, "Deny")),
  };
}

async function approveCase(page, meta, clientId, facts) {
  const grant = await startGrant(meta, clientId, "LINKEDDEV01");
  facts.grant = {
    verificationUri: grant.verification_uri,
    verificationUriComplete: grant.verification_uri_complete,
    userCodeShape: /^[B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4}$/.test(grant.user_code),
    interval: grant.interval,
  };
  const device = poll(meta, clientId, grant);

  const form = await open(page, grant.verification_uri);
  facts.codeForm = { ...(await seen(page, form)), form: formFacts(await readForm(page, "Continue")) };
  await screenshot(page, "link-code-form");

  await page.getByLabel("Code").fill("BCDF-GHJK");
  const wrong = await clickButton(page, "Continue");
  facts.wrongCode = { ...(await seen(page, wrong)), typedKept: await page.getByLabel("Code").inputValue() };
  await screenshot(page, "link-wrong-code");

  // People type what they read, often in lower case and without the dash.
  const typed = grant.user_code.replace("-", "").toLowerCase();
  await page.getByLabel("Code").fill(typed);
  const signIn = await clickButton(page, "Continue");
  facts.afterCode = { ...(await seen(page, signIn)), redirects: await redirectsBefore(signIn) };
  const confirm = await signInOnPage(page, username, password);
  facts.confirm = { ...(await confirmation(page, confirm)), redirects: await redirectsBefore(confirm) };
  facts.userCode = grant.user_code;
  await screenshot(page, "link-confirm");

  const approved = await clickButton(page, "Approve");
  facts.approved = await seen(page, approved);
  await screenshot(page, "link-approved");

  const answer = await device.done;
  facts.device = {
    status: answer.status, errorsWhilePolling: device.seenErrors, tokenType: answer.body.token_type ?? null,
    scope: answer.body.scope ?? null, hasRefreshToken: typeof answer.body.refresh_token === "string",
  };
  check(answer.status === 200, "the device did not get tokens", answer);
  facts.whoami = await whoami(base, answer.body.access_token);
  const listed = await fetch(`${base}/_matrix/client/v3/devices/LINKEDDEV01`, {
    headers: { authorization: `Bearer ${answer.body.access_token}` },
  });
  facts.deviceRead = { status: listed.status, device_id: (await listed.json()).device_id ?? null };

  // Back on /link/confirm after deciding: nothing is pending in this browser any more.
  const after = await open(page, `${base}/link/confirm`);
  facts.confirmAfterDecision = (await seen(page, after)).path;
}

async function denyCase(page, meta, clientId, facts) {
  const grant = await startGrant(meta, clientId, "LINKEDDEV02");
  const device = poll(meta, clientId, grant);
  const confirm = await open(page, grant.verification_uri_complete);
  facts.completeUri = {
    ...(await confirmation(page, confirm)), redirects: await redirectsBefore(confirm), userCode: grant.user_code,
  };
  const denied = await clickButton(page, "Deny");
  facts.denied = await seen(page, denied);
  await screenshot(page, "link-denied");
  const answer = await device.done;
  facts.deniedDevice = {
    status: answer.status, error: answer.body.error ?? null, errorsWhilePolling: device.seenErrors,
  };
}

await runScript(async (facts) => {
  const meta = await metadata(base);
  const clientId = await registerClient(meta, {
    client_name: clientName, client_uri: "https://qr.example.org/", token_endpoint_auth_method: "none",
    grant_types: [DEVICE_CODE, "refresh_token"],
  });
  browser = await launchBrowser();
  const page = await browser.newPage();
  facts.approve = {};
  await approveCase(page, meta, clientId, facts.approve);
  facts.deny = {};
  await denyCase(page, meta, clientId, facts.deny);
}, async () => {
  await browser?.close();
});
