// Shared helpers of the browser tests: a person using Gatehouse's pages in headless Chromium (typing, clicking,
// following redirects; the pages have no JavaScript, so the browser alone carries cookies, CSRF tokens and
// redirects), and the application or homeserver around them talking to the node with fetch.
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";

// ---- results ------------------------------------------------------------------------------------------------

/** Prints {"ok": false, ...} as the script's one JSON line and exits 1. */
export function fail(message, details = {}) {
  console.log(JSON.stringify({ ok: false, error: message, ...details }));
  process.exit(1);
}

/** A failed expectation: {@link runScript} reports it with its details, after closing the browser. */
export class ScriptFailure extends Error {
  constructor(message, details) {
    super(message);
    this.details = details;
  }
}

export function check(condition, message, details = {}) {
  if (!condition) {
    throw new ScriptFailure(message, details);
  }
}

/**
 * Runs {@code body(facts)} and prints its facts as the one JSON line ({"ok": true, ...}); any exception becomes
 * {"ok": false} with the facts gathered so far. {@code cleanup} runs either way (close browsers and servers,
 * so the process can exit).
 */
export async function runScript(body, cleanup, timeoutMs = 150000) {
  const facts = {};
  let outcome;
  // A page that never finishes loading must still end in a result and a closed browser, before the caller's
  // own timeout kills this process.
  const watchdog = setTimeout(async () => {
    console.log(JSON.stringify({ ok: false, error: `the script did not finish within ${timeoutMs} ms`, ...facts }));
    await Promise.race([cleanup().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 10000))]);
    process.exit(1);
  }, timeoutMs);
  watchdog.unref();
  try {
    await body(facts);
    outcome = { ok: true, ...facts };
  } catch (e) {
    outcome = e instanceof ScriptFailure
      ? { ok: false, error: e.message, details: e.details, ...facts }
      : { ok: false, error: String(e?.stack ?? e), ...facts };
  }
  clearTimeout(watchdog);
  try {
    await cleanup();
  } catch (e) {
    process.stderr.write(`cleanup failed: ${e?.stack ?? e}\n`);
  }
  console.log(JSON.stringify(outcome));
  process.exit(outcome.ok ? 0 : 1);
}

export function baseUrl() {
  const base = process.env.GATEHOUSE_BASE_URL;
  if (!base) {
    fail("GATEHOUSE_BASE_URL is not set");
  }
  return base.replace(/\/$/, "");
}

/** A required environment variable, or a default when running by hand. */
export function env(name, fallback) {
  const value = process.env[name] ?? fallback;
  if (value === undefined) {
    fail(`${name} is not set`);
  }
  return value;
}

// ---- the browser side: what the person sees and does -------------------------------------------------------

let shotNumber = 0;

/** Saves a screenshot when GATEHOUSE_SCREENSHOTS names a directory (for a person to look at; never asserted). */
export async function screenshot(page, name) {
  const dir = process.env.GATEHOUSE_SCREENSHOTS;
  if (!dir) {
    return;
  }
  mkdirSync(dir, { recursive: true });
  shotNumber++;
  await page.screenshot({ path: join(dir, `${String(shotNumber).padStart(2, "0")}-${name}.png`), fullPage: true });
}

/**
 * Does {@code action} (a click, a goto) and waits until the browser has followed every redirect and loaded the
 * page it ends on; returns that page's response (status and headers), with the statuses of the redirects before.
 */
export async function navigation(page, action) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: "load", timeout: 30000 }), action()]);
  return response;
}

/** Opens {@code url} as if typed into the address bar. */
export async function open(page, url) {
  return page.goto(url, { waitUntil: "load", timeout: 30000 });
}

/** The redirects the browser followed before {@code response}, oldest first: {status, path}. */
export async function redirectsBefore(response) {
  const chain = [];
  for (let request = response.request().redirectedFrom(); request; request = request.redirectedFrom()) {
    const redirect = await request.response();
    chain.unshift({ status: redirect?.status() ?? null, path: new URL(request.url()).pathname });
  }
  return chain;
}

/** What a person reads on the page: its path, heading, error box and the whole visible text of the card. */
export async function seen(page, response) {
  const url = new URL(page.url());
  const alert = page.locator("[role=alert]");
  return {
    path: url.pathname,
    status: response ? response.status() : undefined,
    title: await page.title(),
    heading: (await page.locator("h1").count()) > 0 ? (await page.locator("h1").first().innerText()).trim() : null,
    alert: (await alert.count()) > 0 ? (await alert.first().innerText()).trim() : null,
    text: (await page.locator("body").innerText()).replace(/\s+/g, " ").trim(),
  };
}

/**
 * The form around the button labelled {@code buttonText}: its method, action, and hidden fields (the CSRF token
 * among them), as the browser will send them. Read to check the form, never to forge a request.
 */
export async function readForm(page, buttonText) {
  const button = page.getByRole("button", { name: buttonText, exact: true });
  check((await button.count()) === 1, `expected one button "${buttonText}"`, { url: page.url() });
  return button.evaluate((b) => {
    const form = b.form;
    const hidden = {};
    for (const input of form.querySelectorAll("input[type=hidden]")) {
      hidden[input.name] = input.value;
    }
    // getAttribute: a field named "action" or "method" would shadow form.action and form.method.
    return {
      method: (form.getAttribute("method") ?? "get").toLowerCase(),
      action: new URL(form.getAttribute("action") ?? "", document.baseURI).href,
      hidden, buttonName: b.name || null, buttonValue: b.value || null,
    };
  });
}

/** Summarises a form for the result: method, action path, whether it carries a CSRF token, its other fields. */
export function formFacts(form) {
  const { csrf, ...fields } = form.hidden;
  return {
    method: form.method, action: new URL(form.action).pathname, csrf: typeof csrf === "string" && csrf.length >= 16,
    fields,
  };
}

/** Clicks the button labelled {@code text} and waits for the page it leads to (after any redirects). */
export async function clickButton(page, text) {
  return navigation(page, () => page.getByRole("button", { name: text, exact: true }).click());
}

/** Clicks the link labelled {@code text}. */
export async function clickLink(page, text) {
  return navigation(page, () => page.getByRole("link", { name: text }).first().click());
}

/**
 * On the sign-in page: types the username and the password and presses "Sign in". Returns the response of the
 * page the browser ends on (the next page after a success, the sign-in page again after a failure).
 */
export async function signInOnPage(page, username, password) {
  check(new URL(page.url()).pathname === "/login", "expected the sign-in page", { url: page.url() });
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  return clickButton(page, "Sign in");
}

/** The cookies the browser holds for {@code url}, as facts (no values: they are credentials). */
export async function cookieFacts(context, url) {
  return (await context.cookies(url)).map((c) => ({
    name: c.name, secure: c.secure, httpOnly: c.httpOnly, sameSite: c.sameSite, path: c.path, session: c.expires === -1,
  }));
}

// ---- the application and the homeserver: plain HTTP ---------------------------------------------------------

export async function metadata(base) {
  const response = await fetch(`${base}/_matrix/client/v1/auth_metadata`);
  check(response.status === 200, "no auth metadata", { status: response.status });
  return response.json();
}

/** Registers a client dynamically (MSC2966); returns its client_id. */
export async function registerClient(meta, clientMetadata) {
  const response = await fetch(meta.registration_endpoint, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(clientMetadata),
  });
  const body = await response.json();
  check(response.status === 201, "client registration failed", { status: response.status, body });
  return body.client_id;
}

export function pkce() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export function apiScope(deviceId) {
  return `urn:matrix:client:api:* urn:matrix:client:device:${deviceId}`;
}

export async function tokenRequest(meta, params) {
  const response = await fetch(meta.token_endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, body: await response.json() };
}

/** {status, user_id, device_id} of GET /_matrix/client/v3/account/whoami with {@code accessToken}. */
export async function whoami(base, accessToken) {
  const response = await fetch(`${base}/_matrix/client/v3/account/whoami`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  const body = await response.json().catch(() => ({}));
  return {
    status: response.status, user_id: body.user_id ?? null, device_id: body.device_id ?? null,
    errcode: body.errcode ?? null,
  };
}

/**
 * A tiny local web site on loopback: the application's redirect URI (records the query each callback brings and
 * answers with a plain page) and any other pages a test serves (a hostile site, a page framing Gatehouse).
 */
export async function localSite() {
  const callbacks = [];
  const waiting = [];
  const pages = new Map();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    if (url.pathname === "/callback") {
      const params = Object.fromEntries(url.searchParams);
      callbacks.push(params);
      waiting.splice(0).forEach((resolve) => resolve(params));
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end("<!DOCTYPE html><title>Back in the app</title><h1>Back in the app</h1>");
      return;
    }
    const html = pages.get(url.pathname);
    res.writeHead(html ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    res.end(html ?? "not found");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    redirectUri: `${origin}/callback`,
    callbacks,
    serve(path, html) {
      pages.set(path, html);
      return origin + path;
    },
    close() {
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A native public client with a loopback redirect (any port matches, RFC 8252), as Matrix clients register. */
export function nativeClient(name, clientUri = "https://client.example.org/") {
  return {
    client_name: name,
    client_uri: clientUri,
    application_type: "native",
    redirect_uris: ["http://127.0.0.1/callback"],
    token_endpoint_auth_method: "none",
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
  };
}

/** The authorization URL an application opens in the browser: code flow with PKCE S256, state, one device. */
export function authorizationUrl(meta, { clientId, redirectUri, deviceId, prompt, extra = {} }) {
  const { verifier, challenge } = pkce();
  const state = randomBytes(12).toString("base64url");
  const url = new URL(meta.authorization_endpoint);
  const params = {
    response_type: "code", client_id: clientId, redirect_uri: redirectUri, scope: apiScope(deviceId), state,
    code_challenge: challenge, code_challenge_method: "S256", ...(prompt ? { prompt } : {}), ...extra,
  };
  for (const [k, v] of Object.entries(params)) {
    if (v !== null) {
      url.searchParams.set(k, v);
    }
  }
  return { url: url.toString(), state, verifier, redirectUri, clientId, deviceId };
}

/** Exchanges the code an authorization brought back for tokens. */
export function exchangeCode(meta, request, code) {
  return tokenRequest(meta, {
    grant_type: "authorization_code", code, redirect_uri: request.redirectUri, client_id: request.clientId,
    code_verifier: request.verifier,
  });
}

/**
 * An application signs the person in through the browser: opens the authorization URL; if the sign-in page shows,
 * the person types their password; on the consent page they press Allow; the browser comes back to the
 * application's redirect URI with the code, which the application exchanges. Returns the tokens.
 */
export async function authorizeInBrowser(page, meta, site, { clientId, deviceId, username, password }) {
  const request = authorizationUrl(meta, { clientId, redirectUri: site.redirectUri, deviceId });
  let response = await open(page, request.url);
  if (new URL(page.url()).pathname === "/login") {
    response = await signInOnPage(page, username, password);
  }
  check(new URL(page.url()).pathname === "/oauth2/consent", "expected the consent page", { url: page.url() });
  response = await clickButton(page, "Allow");
  const back = new URL(page.url());
  check(back.origin === site.origin && back.searchParams.get("state") === request.state,
    "the browser did not come back to the application with its state", { url: page.url() });
  const tokens = await exchangeCode(meta, request, back.searchParams.get("code"));
  check(tokens.status === 200, "the code exchange failed", tokens);
  return tokens.body;
}
