// matrix-js-sdk's OAuth 2.0 sign-in as Element Web runs it, for the scripts that drive the SDK from Node: discovery,
// registration as a web client, the authorization request, the token refresher, whoami with a bare token, and the
// oidc-client-ts client Element Web signs out with. What the person does on the pages is lib/oauth-user-agent.mjs.
import { OidcClient, WebStorageStateStore } from "oidc-client-ts";
import { createClient } from "matrix-js-sdk";
import {
  generateOidcAuthorizationUrl,
  OidcTokenRefresher,
  registerOidcClient,
} from "matrix-js-sdk/lib/oidc/index.js";
import { APP_ORIGIN, REDIRECT_URI } from "./sdk-web-app.mjs";
import { failureOf } from "./script.mjs";

/** The scope token in which the SDK names the device it asks for (MSC2967, unstable prefix as 37.5.0 sends it). */
const DEVICE_SCOPE = "urn:matrix:org.matrix.msc2967.client:device:";

/**
 * MatrixClient.getAuthMetadata() (the SDK validates the document and fetches the JWKS) through a client that
 * records what it asks: {metadata, paths}.
 */
export async function discover(baseUrl) {
  const paths = [];
  const anonymous = createClient({
    baseUrl,
    fetchFn: (url, options) => {
      paths.push(new URL(url).pathname);
      return fetch(url, options);
    },
  });
  return { metadata: await anonymous.getAuthMetadata(), paths };
}

/** registerOidcClient() as Element Web registers: a web client of the app's origin, named {@code clientName}. */
export function registerWebClient(metadata, clientName) {
  return registerOidcClient(metadata, {
    clientName,
    clientUri: `${APP_ORIGIN}/`,
    applicationType: "web",
    redirectUris: [REDIRECT_URI],
    contacts: [],
    tosUri: `${APP_ORIGIN}/terms`,
    policyUri: `${APP_ORIGIN}/privacy`,
  });
}

/**
 * generateOidcAuthorizationUrl() with a new nonce (PKCE, state and the scope are the SDK's): {url, nonce, scope,
 * deviceId}, where deviceId is the device the scope asks for (undefined if it names none).
 */
export async function authorizationRequest(metadata, clientId, baseUrl) {
  const nonce = crypto.randomUUID();
  const url = new URL(await generateOidcAuthorizationUrl({
    metadata, clientId, redirectUri: REDIRECT_URI, homeserverUrl: baseUrl, nonce,
  }));
  const scope = url.searchParams.get("scope");
  const deviceScope = scope.split(" ").find((s) => s.startsWith(DEVICE_SCOPE));
  return { url, nonce, scope, deviceId: deviceScope?.split(":").pop() };
}

/**
 * The SDK's OidcTokenRefresher for the grant {@code completed} (what completeAuthorizationCodeGrant() answered), ready
 * to refresh: it discovers the issuer itself, like a client restarted from storage.
 */
export async function tokenRefresher(completed, clientId, deviceId) {
  const refresher = new OidcTokenRefresher(completed.oidcClientSettings.issuer, clientId, REDIRECT_URI, deviceId,
    completed.idTokenClaims);
  await refresher.oidcClientReady;
  return refresher;
}

/** oidc-client-ts's OidcClient, as Element Web signs out with it (revokeToken): the SDK has no revocation call. */
export function signOutClient(completed, metadata, clientId) {
  return new OidcClient({
    authority: completed.oidcClientSettings.issuer,
    metadata,
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });
}

/** whoami with a fresh client holding only {@code accessToken}: {status: 200, userId, deviceId}, or the failure. */
export async function whoamiWith(baseUrl, accessToken) {
  const client = createClient({ baseUrl, accessToken });
  try {
    const me = await client.whoami();
    return { status: 200, userId: me.user_id, deviceId: me.device_id };
  } catch (e) {
    return failureOf(e);
  } finally {
    client.stopClient();
  }
}
