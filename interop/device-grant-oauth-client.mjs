// The device authorization grant (RFC 8628, MSC4341) as openid-client 6 runs it, against a Gatehouse node:
//
//   GATEHOUSE_BASE_URL=http://127.0.0.1:8080 GATEHOUSE_ISSUER=http://127.0.0.1:8080/ GATEHOUSE_USERNAME=alice \
//   GATEHOUSE_PASSWORD=... node device-grant-oauth-client.mjs
//
// openid-client does everything a device does: discovery (strict issuer check), dynamic registration of a public
// client with the device_code grant, initiateDeviceAuthorization, and its own pollDeviceAuthorizationGrant loop
// (interval, authorization_pending, slow_down). Nothing is relaxed except allowInsecureRequests, because the node
// listens on plain http on loopback. A custom fetch only observes: it counts the token endpoint's answers, and
// the person acts once the library has been told authorization_pending at least once.
//  1. approve: the person types the user code at verification_uri (/link), signs in, presses Approve; the library
//     returns tokens; whoami answers the user and the requested device ID; the refresh token works too.
//  2. deny: same start, the person presses Deny; the library's polling rejects with access_denied.
// Prints one JSON line and exits 0, or {"ok": false, "error": ...} and exits 1.
import * as client from "openid-client";
import { decideOnLinkPage } from "./lib/qr-link-page.mjs";
import { fail, checkOrThrow as check, env, within, newDeviceId } from "./lib/script.mjs";

const DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code";

/**
 * A fetch for the library that tallies what the token endpoint answered to device-code polls (by the "error" of
 * the JSON body, "tokens" on success) and lets the script wait for a given answer. The library gets the response
 * untouched.
 */
class PollObserver {
  constructor() {
    this.reset();
    this.fetch = async (url, options) => {
      const response = await fetch(url, options);
      const body = options?.body instanceof URLSearchParams ? options.body : new URLSearchParams(String(options?.body ?? ""));
      if (options?.method === "POST" && body.get("grant_type") === DEVICE_CODE) {
        const json = await response.clone().json().catch(() => ({}));
        const answer = json.error ?? (json.access_token ? "tokens" : `status ${response.status}`);
        this.answers.push({ answer, status: response.status, atMs: Date.now() - this.started });
        this.waiters.filter((w) => w.answer === answer).forEach((w) => w.resolve());
        this.waiters = this.waiters.filter((w) => w.answer !== answer);
      }
      return response;
    };
  }

  reset() {
    this.answers = [];
    this.waiters = [];
    this.started = Date.now();
  }

  count(answer) {
    return this.answers.filter((a) => a.answer === answer).length;
  }

  next(answer) {
    return new Promise((resolve) => this.waiters.push({ answer, resolve }));
  }
}

async function whoami(baseUrl, accessToken) {
  const response = await fetch(`${baseUrl}/_matrix/client/v3/account/whoami`,
    { headers: { authorization: `Bearer ${accessToken}` } });
  check(response.status === 200, "whoami did not answer 200", { status: response.status });
  return response.json();
}

/** Starts a device authorization for a fresh device ID, lets the person decide once the library was told to wait. */
async function deviceFlow(config, observer, person, approve) {
  observer.reset();
  const deviceId = newDeviceId(12);
  const started = await client.initiateDeviceAuthorization(config,
    { scope: `urn:matrix:client:api:* urn:matrix:client:device:${deviceId}` });
  const polling = client.pollDeviceAuthorizationGrant(config, started);
  polling.catch(() => {});
  await within(60000, observer.next("authorization_pending"), "the first authorization_pending");
  const page = await within(60000, decideOnLinkPage({ ...person, verificationUri: started.verification_uri,
    userCode: started.user_code, approve }), "the person on the link page");
  let tokens;
  let error;
  try {
    tokens = await within(60000, polling, "the library's polling");
  } catch (e) {
    error = e;
  }
  return {
    deviceId,
    started: { verification_uri: started.verification_uri, verification_uri_complete: started.verification_uri_complete,
      user_code: started.user_code, interval: started.interval, expires_in: started.expires_in },
    page,
    answers: observer.answers.map((a) => a.answer),
    pollAtMs: observer.answers.map((a) => a.atMs),
    authorizationPending: observer.count("authorization_pending"),
    slowDown: observer.count("slow_down"),
    tokens,
    error,
  };
}

async function main() {
  const baseUrl = env("GATEHOUSE_BASE_URL").replace(/\/$/, "");
  const issuer = new URL(env("GATEHOUSE_ISSUER"));
  const person = { username: env("GATEHOUSE_USERNAME"), password: env("GATEHOUSE_PASSWORD") };
  const observer = new PollObserver();

  const config = await client.dynamicClientRegistration(issuer, {
    client_name: "RFC 8628 device (openid-client interop)",
    client_uri: "https://device.example.org/",
    application_type: "native",
    grant_types: [DEVICE_CODE, "refresh_token"],
    token_endpoint_auth_method: "none",
  }, client.None(), { execute: [client.allowInsecureRequests], [client.customFetch]: observer.fetch });
  const metadata = config.serverMetadata();
  check(metadata.device_authorization_endpoint, "the discovered metadata has no device_authorization_endpoint");
  check(metadata.grant_types_supported?.includes(DEVICE_CODE), "the metadata does not list the device_code grant");

  const approved = await deviceFlow(config, observer, person, true);
  if (approved.error) {
    throw Object.assign(new Error(`the approved flow failed: ${approved.error}`),
      { details: { ...approved, error: String(approved.error) } });
  }
  const { tokens, ...approvedReport } = approved;
  const me = await whoami(baseUrl, tokens.access_token);
  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
  const meAfterRefresh = await whoami(baseUrl, refreshed.access_token);

  const denied = await deviceFlow(config, observer, person, false);
  check(denied.tokens === undefined, "the denied flow produced tokens");
  // The denied device must not exist: asked with the approved device's (refreshed) token of the same user.
  const deniedDevice = await fetch(`${baseUrl}/_matrix/client/v3/devices/${denied.deviceId}`,
    { headers: { authorization: `Bearer ${refreshed.access_token}` } });

  console.log(JSON.stringify({
    ok: true,
    node: process.version,
    clientId: config.clientMetadata().client_id,
    issuer: metadata.issuer,
    approved: {
      ...approvedReport,
      tokenType: tokens.token_type,
      scope: tokens.scope,
      expiresIn: tokens.expiresIn(),
      gotRefreshToken: typeof tokens.refresh_token === "string",
      whoami: me,
      whoamiAfterRefresh: meAfterRefresh,
      refreshRotated: refreshed.refresh_token !== undefined && refreshed.refresh_token !== tokens.refresh_token,
    },
    denied: {
      ...denied,
      error: {
        name: denied.error?.name,
        error: denied.error?.error,
        status: denied.error?.status,
        description: denied.error?.error_description,
      },
      deviceStatusAfterDeny: deniedDevice.status,
    },
  }));
  process.exit(0);
}

setTimeout(() => fail("the script did not finish within 170 s"), 170000).unref();
main().catch((e) => fail(String(e?.stack ?? e), { details: e?.details }));
