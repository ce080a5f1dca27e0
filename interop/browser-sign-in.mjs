// A person signs in to a Matrix application through Gatehouse's real pages in headless Chromium.
//
//   GATEHOUSE_BASE_URL=http://127.0.0.1:8080 GATEHOUSE_USER=alice GATEHOUSE_OTHER_USER=bob \
//   GATEHOUSE_PASSWORD=... [GATEHOUSE_LOCKED_USER=...] node browser-sign-in.mjs
//
// The application (this script, with fetch) registers a client dynamically and opens an authorization-code + PKCE
// URL; the person, in the browser, meets the sign-in page, mistypes the password, signs in, reads the consent page
// and allows; the browser lands on the application's loopback redirect URI (a small server here) with the code,
// which the application exchanges; whoami answers. Then: prompt=login and denying on the consent page; "Not you?
// Sign out" and another person signing in for the same request; login_hint; the error pages for requests that
// cannot be trusted; sign-ins the page refuses (locked account, too many failures, too much data); creating an
// account (prompt=create) when the node lets people register. Along the way: the CSP header, that a page framing
// the sign-in page is blocked, and the session cookie as the browser holds it. Prints one JSON line of what the
// person saw.
import { launchBrowser } from "./lib/browser.mjs";
import {
  authorizationUrl, baseUrl, check, clickButton, cookieFacts, env, exchangeCode, formFacts, localSite, metadata,
  nativeClient, open, readForm, redirectsBefore, registerClient, runScript, screenshot, seen, signInOnPage, whoami,
} from "./lib/pages.mjs";

const base = baseUrl();
const username = env("GATEHOUSE_USER", "alice");
const password = env("GATEHOUSE_PASSWORD", "correct horse battery");
const newUser = env("GATEHOUSE_NEW_USER", `newcomer-${Date.now().toString(36)}`);
const clientName = env("GATEHOUSE_CLIENT_NAME", "Browser Test Client");
const clientUri = "https://client.example.org/";
const otherUser = env("GATEHOUSE_OTHER_USER", "bob");
const lockedUser = process.env.GATEHOUSE_LOCKED_USER;
const serverName = env("GATEHOUSE_SERVER_NAME", "test.local");

let browser;
let site;

/** Error pages: requests Gatehouse cannot send back to their application, and one it can. */
async function errorPages(page, meta, clientId) {
  const facts = {};
  const unknownClient = authorizationUrl(meta, {
    clientId: "no-such-client", redirectUri: site.redirectUri, deviceId: "X1",
  });
  facts.unknownClient = await seen(page, await open(page, unknownClient.url));
  await screenshot(page, "error-unknown-client");

  const foreignRedirect = authorizationUrl(meta, {
    clientId, redirectUri: "https://elsewhere.example.net/callback", deviceId: "X2",
  });
  facts.unregisteredRedirect = await seen(page, await open(page, foreignRedirect.url));
  facts.callbacksFromUntrusted = site.callbacks.length;

  // The client and its redirect URI belong together, so the error goes back to the application.
  const noPkce = authorizationUrl(meta, { clientId, redirectUri: site.redirectUri, deviceId: "X3",
    extra: { code_challenge: null, code_challenge_method: null } });
  await open(page, noPkce.url);
  const back = new URL(page.url());
  facts.missingPkce = { origin: back.origin === site.origin ? "application" : back.origin,
    ...Object.fromEntries(back.searchParams), expectedState: noPkce.state };
  return facts;
}

/** The page framing Gatehouse's sign-in page (clickjacking) gets an error frame instead. */
async function framing(context) {
  const framer = site.serve("/frame",
    `<!DOCTYPE html><title>Framer</title><iframe src="${base}/login" width="600" height="400"></iframe>`);
  const page = await context.newPage();
  try {
    await open(page, framer);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    await frame?.waitForLoadState("load");
    const passwordFields = frame ? await frame.locator("input[type=password]").count() : -1;
    return { frameUrl: frame ? frame.url() : null, passwordFieldsInFrame: passwordFields };
  } finally {
    await page.close();
  }
}

async function signIn(page, context, meta, clientId, facts) {
  const request = authorizationUrl(meta, { clientId, redirectUri: site.redirectUri, deviceId: "BROWSERDEV1" });
  const first = await open(page, request.url);
  const headers = first.headers();
  facts.signInPage = {
    ...(await seen(page, first)),
    redirects: await redirectsBefore(first),
    form: formFacts(await readForm(page, "Sign in")),
    createAccountLink: (await page.getByRole("link", { name: "Create an account" }).count()) === 1,
    csp: headers["content-security-policy"] ?? null,
    xFrameOptions: headers["x-frame-options"] ?? null,
    cacheControl: headers["cache-control"] ?? null,
  };
  await screenshot(page, "sign-in");
  facts.cookies = await cookieFacts(context, base);
  facts.cookieVisibleToPageScripts = await page.evaluate(() => document.cookie);
  const before = (await context.cookies(base)).find((c) => c.name === "__Host-gatehouse_session")?.value;
  facts.framing = await framing(context);

  const wrong = await signInOnPage(page, username, "not the password");
  facts.wrongPassword = {
    ...(await seen(page, wrong)),
    usernameKept: await page.getByLabel("Username").inputValue(),
    passwordEmpty: (await page.getByLabel("Password").inputValue()) === "",
  };
  await screenshot(page, "sign-in-wrong-password");

  const consent = await signInOnPage(page, username, password);
  const after = (await context.cookies(base)).find((c) => c.name === "__Host-gatehouse_session")?.value;
  facts.sessionIdChangedOnSignIn = before !== undefined && after !== undefined && before !== after;
  facts.consent = {
    ...(await seen(page, consent)),
    redirects: await redirectsBefore(consent),
    clientName: (await page.locator(".client").innerText()).trim(),
    clientUri: (await page.locator(".client-uri a").innerText()).trim(),
    access: (await page.locator("main li").allInnerTexts()).map((t) => t.trim()),
    form: formFacts(await readForm(page, "Allow")),
    csp: consent.headers()["content-security-policy"] ?? null,
  };
  await screenshot(page, "consent");

  const landed = await clickButton(page, "Allow");
  const back = new URL(page.url());
  const params = Object.fromEntries(back.searchParams);
  facts.callback = {
    origin: back.origin === site.origin ? "application" : back.origin,
    path: back.pathname,
    redirects: await redirectsBefore(landed),
    stateMatches: params.state === request.state,
    iss: params.iss ?? null,
    hasCode: typeof params.code === "string" && params.code.length > 0,
    error: params.error ?? null,
  };
  const tokens = await exchangeCode(meta, request, params.code);
  facts.token = { status: tokens.status, tokenType: tokens.body.token_type ?? null,
    scope: tokens.body.scope ?? null, hasRefreshToken: typeof tokens.body.refresh_token === "string" };
  check(tokens.status === 200, "the code exchange failed", tokens);
  facts.whoami = await whoami(base, tokens.body.access_token);
}

/**
 * Signed in already, but the application asks for prompt=login: the password is asked for again before the
 * consent page; there the person denies.
 */
async function deny(page, meta, clientId) {
  const request = authorizationUrl(meta, {
    clientId, redirectUri: site.redirectUri, deviceId: "BROWSERDEV2", prompt: "login",
  });
  const promptLogin = await seen(page, await open(page, request.url));
  const consent = await signInOnPage(page, username, password);
  const shown = await seen(page, consent);
  await clickButton(page, "Deny");
  const back = new URL(page.url());
  const params = Object.fromEntries(back.searchParams);
  return {
    promptLoginPath: promptLogin.path,
    consentPath: shown.path,
    origin: back.origin === site.origin ? "application" : back.origin,
    error: params.error ?? null,
    stateMatches: params.state === request.state,
    iss: params.iss ?? null,
    hasCode: "code" in params,
  };
}

/**
 * "Not you? Sign out" on the consent page: the browser session ends, and the sign-in page leads back to the same
 * request, so the right person signs in and the application still gets its answer. Meanwhile, in a second tab,
 * another authorization carrying login_hint shows the sign-in page with the username filled in.
 */
async function notYou(page, context, meta, clientId) {
  const request = authorizationUrl(meta, { clientId, redirectUri: site.redirectUri, deviceId: "BROWSERDEV3" });
  await open(page, request.url);
  const landed = await clickButton(page, "Not you? Sign out");
  const facts = { afterSignOut: { ...(await seen(page, landed)), next: new URL(page.url()).searchParams.get("next") } };

  const tab = await context.newPage();
  try {
    const hinted = authorizationUrl(meta, { clientId, redirectUri: site.redirectUri, deviceId: "BROWSERDEV4",
      extra: { login_hint: `mxid:@${username}:${serverName}` } });
    facts.hintedAuthorizationPath = (await seen(tab, await open(tab, hinted.url))).path;
    facts.usernamePrefilled = await tab.getByLabel("Username").inputValue();
  } finally {
    await tab.close();
  }

  const consent = await signInOnPage(page, otherUser, password);
  facts.consentAsOther = await seen(page, consent);
  await clickButton(page, "Allow");
  const back = new URL(page.url());
  facts.callbackStateMatches = back.searchParams.get("state") === request.state;
  const tokens = await exchangeCode(meta, request, back.searchParams.get("code"));
  check(tokens.status === 200, "the code exchange after switching users failed", tokens);
  facts.whoami = await whoami(base, tokens.body.access_token);

  // The request id of a finished or foreign request leads to the expired-request page.
  facts.expired = await seen(page, await open(page, `${base}/oauth2/consent?id=no-such-request`));
  await screenshot(page, "consent-expired");
  return facts;
}

/**
 * Sign-ins the page refuses: a locked account (its password is right), someone who keeps guessing, and a form
 * too large to accept (a pasted file).
 */
async function refusals(page) {
  const facts = {};
  if (lockedUser) {
    await open(page, `${base}/login`);
    facts.locked = await seen(page, await signInOnPage(page, lockedUser, password));
    await screenshot(page, "sign-in-locked");
  }
  // The failures of one account are limited: after the allowed few, even typing goes no further for a while.
  const guessed = `nobody-${Date.now().toString(36)}`;
  await open(page, `${base}/login`);
  facts.guessing = [];
  for (let attempt = 0; attempt < 6; attempt++) {
    const shown = await seen(page, await signInOnPage(page, guessed, `guess ${attempt}`));
    facts.guessing.push({ status: shown.status, alert: shown.alert });
  }
  await screenshot(page, "sign-in-limited");
  await open(page, `${base}/login`);
  facts.tooLarge = await seen(page, await signInOnPage(page, "x".repeat(1100000), "whatever"));
  return facts;
}

/** prompt=create: the sign-up page, a mistake in the repeated password, the new account signed in. */
async function signUp(page, meta, clientId) {
  if (!meta.prompt_values_supported?.includes("create")) {
    return { offered: false };
  }
  const request = authorizationUrl(meta, {
    clientId, redirectUri: site.redirectUri, deviceId: "NEWCOMERDEV", prompt: "create",
  });
  const form = await open(page, request.url);
  const facts = {
    offered: true, page: await seen(page, form), form: formFacts(await readForm(page, "Create account")),
  };
  await screenshot(page, "sign-up");
  const newPassword = "a new and long password";
  await page.getByLabel("Username").fill(newUser);
  await page.getByLabel("Password", { exact: true }).fill(newPassword);
  await page.getByLabel("Repeat the password").fill(newPassword + "!");
  const mismatch = await clickButton(page, "Create account");
  facts.mismatch = { ...(await seen(page, mismatch)), usernameKept: await page.getByLabel("Username").inputValue() };
  await screenshot(page, "sign-up-mismatch");
  await page.getByLabel("Password", { exact: true }).fill(newPassword);
  await page.getByLabel("Repeat the password").fill(newPassword);
  const consent = await clickButton(page, "Create account");
  facts.consent = await seen(page, consent);
  await clickButton(page, "Allow");
  const back = new URL(page.url());
  check(back.origin === site.origin, "sign-up did not come back to the application", { url: page.url() });
  const tokens = await exchangeCode(meta, request, back.searchParams.get("code"));
  check(tokens.status === 200, "the code exchange after sign-up failed", tokens);
  facts.whoami = await whoami(base, tokens.body.access_token);
  return facts;
}

await runScript(async (facts) => {
  const meta = await metadata(base);
  site = await localSite();
  const clientId = await registerClient(meta, nativeClient(clientName, clientUri));
  browser = await launchBrowser();
  const page = await browser.newPage();
  facts.issuer = meta.issuer;
  facts.errors = await errorPages(page, meta, clientId);
  await signIn(page, browser.context, meta, clientId, facts);
  facts.deny = await deny(page, meta, clientId);
  facts.notYou = await notYou(page, browser.context, meta, clientId);
  facts.refusals = await refusals(page);
  // Signing up is for someone not signed in: sign out of this browser on the account page first.
  await open(page, meta.account_management_uri);
  facts.signedOutForSignUp = (await seen(page, await clickButton(page, "Sign out of this browser"))).path;
  facts.signUp = await signUp(page, meta, clientId);
  facts.newUser = newUser;
}, async () => {
  await browser?.close();
  await site?.close();
});
