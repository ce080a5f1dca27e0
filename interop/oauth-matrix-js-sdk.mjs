// matrix-js-sdk 37.5.0's own OAuth 2.0 helpers against a Gatehouse node, the way Element Web signs in and out.
//
//   GATEHOUSE_BASE_URL=http://127.0.0.1:8080 GATEHOUSE_USERNAME=alice GATEHOUSE_PASSWORD=... \
//     node oauth-matrix-js-sdk.mjs
//
// Prints one JSON line with what happened and exits 0, or prints {"ok": false, "error": ...} and exits 1.
//  1. discovery: MatrixClient.getAuthMetadata() (the SDK validates the document and fetches the JWKS; 37.5.0 reads
//     /_matrix/client/unstable/org.matrix.msc2965/auth_metadata);
//  2. dynamic registration: registerOidcClient(), as a web client like Element Web;
//  3. the authorization URL: generateOidcAuthorizationUrl() (PKCE S256, state, nonce, the SDK's own scope with a
//     device id it picks); the script then plays the person: opens the URL, signs in through the sign-in form and
//     allows on the consent page (lib/oauth-user-agent.mjs), and catches the redirect to the redirect URI;
//  4. completeAuthorizationCodeGrant(code, state): the SDK checks the state it stored, exchanges the code and
//     validates the token response and the ID token (issuer, audience, nonce, expiry);
//  5. whoami through a MatrixClient holding the access token;
//  6. refresh with the SDK's OidcTokenRefresher; the old access token is refused afterwards, the new one works;
//  7. sign-out as Element Web does it: oidc-client-ts's OidcClient.revokeToken() for the access token, then for
//     the refresh token (the SDK itself has no revocation call; Element Web uses the oidc-client-ts that the SDK
//     depends on, the copy imported here). Revoking the access token alone ends the session: the refresh token is
//     refused too. Then revoking the (already dead) refresh token still answers 200.
import { logger } from "matrix-js-sdk/lib/logger.js";
import { completeAuthorizationCodeGrant } from "matrix-js-sdk/lib/oidc/index.js";
import { UserAgent } from "./lib/oauth-user-agent.mjs";
import { REDIRECT_URI } from "./lib/sdk-web-app.mjs";
import { authorizationRequest, discover, registerWebClient, signOutClient, tokenRefresher, whoamiWith }
  from "./lib/sdk-sign-in.mjs";
import { fail, check, shapeOf } from "./lib/script.mjs";

async function main() {
  const baseUrl = (process.env.GATEHOUSE_BASE_URL ?? "").replace(/\/$/, "");
  const username = process.env.GATEHOUSE_USERNAME;
  const password = process.env.GATEHOUSE_PASSWORD;
  check(baseUrl !== "" && username && password, "GATEHOUSE_BASE_URL, GATEHOUSE_USERNAME and GATEHOUSE_PASSWORD are needed");
  // The SDK logs at info level on stdout; only this script's JSON line belongs there (warnings go to stderr).
  logger.setLevel("warn");

  // 1. Discovery.
  // 37.5.0 asks the unstable MSC2965 path (falling back to auth_issuer + OpenID discovery only on M_UNRECOGNIZED);
  // the paths it used are part of the result.
  const { metadata, paths: discoveryPaths } = await discover(baseUrl);
  check(metadata.issuer === `${baseUrl}/`, "the issuer is not the node's public base URL", { issuer: metadata.issuer });
  check(Array.isArray(metadata.signingKeys) && metadata.signingKeys.length > 0, "the SDK found no signing keys");

  // 2. Registration.
  const clientId = await registerWebClient(metadata, "matrix-js-sdk interop");

  // 3. Authorization URL, and the person going through the pages.
  const { url: authorizationUrl, nonce, scope, deviceId: requestedDeviceId } =
    await authorizationRequest(metadata, clientId, baseUrl);
  check(requestedDeviceId !== undefined, "the SDK's scope names no device", { scope });
  check(authorizationUrl.searchParams.get("code_challenge_method") === "S256", "the SDK did not use PKCE S256");
  const person = new UserAgent({ username, password });
  const callback = await person.authorize(authorizationUrl.href, REDIRECT_URI);
  const code = callback.searchParams.get("code");
  const state = callback.searchParams.get("state");
  check(code && state === authorizationUrl.searchParams.get("state"), "the callback does not carry the code and the state",
    { callback: callback.search.replace(/code=[^&]*/, "code=…") });

  // 4. Code exchange, with the SDK's own validation of the response and the ID token.
  const completed = await completeAuthorizationCodeGrant(code, state);
  const tokens = completed.tokenResponse;
  const [idTokenHeader, idToken] = tokens.id_token.split(".").slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, "base64url").toString()));
  check(completed.homeserverUrl === baseUrl, "the SDK lost the homeserver URL it stored", { completed: completed.homeserverUrl });

  // 5. whoami.
  const first = await whoamiWith(baseUrl, tokens.access_token);
  check(first.status === 200, "whoami with the new access token failed", first);

  // 6. Refresh with the SDK's refresher (it discovers the issuer itself, like a client restarted from storage).
  const refresher = await tokenRefresher(completed, clientId, first.deviceId);
  const refreshed = await refresher.doRefreshAccessToken(tokens.refresh_token);
  const afterRefresh = {
    rotated: refreshed.refreshToken !== tokens.refresh_token && refreshed.accessToken !== tokens.access_token,
    accessShape: shapeOf(refreshed.accessToken),
    refreshShape: shapeOf(refreshed.refreshToken),
    expiresInSeconds: Math.round((refreshed.expiry.getTime() - Date.now()) / 1000),
    oldAccessToken: await whoamiWith(baseUrl, tokens.access_token),
    newAccessToken: await whoamiWith(baseUrl, refreshed.accessToken),
  };

  // 7. Sign-out: the access token, then the refresh token, as Element Web revokes them.
  const oidc = signOutClient(completed, metadata, clientId);
  await oidc.revokeToken(refreshed.accessToken, "access_token");
  let refreshAfterRevocation;
  try {
    const again = await tokenRefresher(completed, clientId, first.deviceId);
    await again.doRefreshAccessToken(refreshed.refreshToken);
    refreshAfterRevocation = { refused: false };
  } catch (e) {
    // TokenRefreshLogoutError is the SDK's "the server answered with an OAuth error: log out" (its message is the
    // error_description); any other error would be taken as transient and retried.
    refreshAfterRevocation = { refused: true, logout: e.name === "TokenRefreshLogoutError", message: e.message };
  }
  let refreshTokenRevocation;
  try {
    await oidc.revokeToken(refreshed.refreshToken, "refresh_token");
    refreshTokenRevocation = "accepted";
  } catch (e) {
    refreshTokenRevocation = `rejected: ${e}`;
  }
  const afterRevocation = {
    accessToken: await whoamiWith(baseUrl, refreshed.accessToken),
    firstAccessToken: await whoamiWith(baseUrl, tokens.access_token),
    refresh: refreshAfterRevocation,
    refreshTokenRevocation,
  };

  console.log(JSON.stringify({
    ok: true,
    node: process.version,
    discovery: {
      paths: discoveryPaths,
      issuer: metadata.issuer,
      signingKeys: metadata.signingKeys.length,
      revocationEndpoint: metadata.revocation_endpoint,
    },
    clientId,
    authorization: {
      scope,
      requestedDeviceId,
      steps: person.steps,
      iss: callback.searchParams.get("iss"),
    },
    tokens: {
      accessShape: shapeOf(tokens.access_token),
      refreshShape: shapeOf(tokens.refresh_token),
      tokenType: tokens.token_type,
      // The SDK has checked these already (it throws otherwise); read again from the raw token for the result.
      // (idTokenClaims cannot be used for the nonce: oidc-client-ts strips protocol claims from it.)
      idToken: { iss: idToken.iss, aud: idToken.aud, nonceMatches: idToken.nonce === nonce, alg: idTokenHeader.alg },
    },
    whoami: first,
    refresh: afterRefresh,
    revocation: afterRevocation,
  }));
  process.exit(0);
}

setTimeout(() => fail("the script did not finish within 90 s"), 90000).unref();
main().catch((e) => fail(String(e?.stack ?? e)));
