// oauth4webapi 3.8.8 (a strict, standards-only OAuth 2.0 / OpenID Connect client) against a Gatehouse node.
//
//   GATEHOUSE_BASE_URL=http://127.0.0.1:8080 GATEHOUSE_USERNAME=alice GATEHOUSE_PASSWORD=... \
//   GATEHOUSE_INTROSPECTION_SECRET=... GATEHOUSE_INTROSPECTION_CLIENT_ID=homeserver \
//   GATEHOUSE_INTROSPECTION_CLIENT_SECRET=... node oauth-oauth4webapi-strict.mjs
//
// Prints one JSON line with what happened and exits 0, or prints {"ok": false, "error": ...} and exits 1.
// Every check of the library stays on. The one relaxation is allowInsecureRequests: the node listens on plain
// http on loopback, and oauth4webapi refuses any non-https endpoint unless told otherwise; it changes nothing
// else (issuer, state, iss, nonce, signature and response-shape checks all run).
//  1. issuer-checked discovery under both well-known paths (RFC 8414 and OpenID Connect): the document's issuer
//     must equal the URL the client started from;
//  2. dynamic client registration (RFC 7591): a public native client with a loopback redirect URI;
//  3. authorization code with PKCE S256, state and nonce, scope openid + the Matrix API and device scopes; the
//     script plays the person through the sign-in and consent pages (lib/oauth-user-agent.mjs); the library
//     validates the callback (state, and iss since the server advertises RFC 9207), then the token response
//     and the ID token (iss, aud, exp, iat, nonce), and the ID token's signature against the JWKS;
//  4. userinfo: its sub must be the ID token's;
//  5. refresh (rotation); introspection as the homeserver (shared-secret bearer, as Synapse does it, and as a
//     confidential client with client_secret_basic): the new pair is active, the used refresh token and the
//     access token issued with it are not;
//  6. revocation of the refresh token (RFC 7009), after which introspection says active: false for both tokens;
//  7. what a strict library must refuse: a discovery document whose issuer is not the expected one (localhost is
//     not 127.0.0.1), and callbacks with a foreign iss or a wrong state.
import * as oauth from "oauth4webapi";
import { UserAgent } from "./lib/oauth-user-agent.mjs";
import { fail, check, shapeOf } from "./lib/script.mjs";

const REDIRECT_URI = "http://127.0.0.1/callback";
// Plain http on loopback (see above): passed to every request the library makes, and to nothing else.
const http = { [oauth.allowInsecureRequests]: true };

/** What the library throws for a rejected response: its error code (and the OAuth error, if any). */
async function rejection(action) {
  try {
    await action();
    return { rejected: false };
  } catch (e) {
    return { rejected: true, code: e.code ?? e.name, error: e.error, message: e.message };
  }
}

/**
 * The homeserver's introspection credentials: the configured shared secret as a bearer token. oauth4webapi
 * takes client authentication as a function that decorates the request (its ClientAuth type); this is one.
 */
function sharedSecretBearer(secret) {
  return (as, client, body, headers) => {
    headers.set("authorization", `Bearer ${secret}`);
  };
}

async function introspect(as, caller, auth, token) {
  return oauth.processIntrospectionResponse(as, caller, await oauth.introspectionRequest(as, caller, auth, token, http));
}

async function main() {
  const baseUrl = (process.env.GATEHOUSE_BASE_URL ?? "").replace(/\/$/, "");
  const { GATEHOUSE_USERNAME: username, GATEHOUSE_PASSWORD: password } = process.env;
  const secret = process.env.GATEHOUSE_INTROSPECTION_SECRET;
  const homeserverId = process.env.GATEHOUSE_INTROSPECTION_CLIENT_ID;
  const homeserverSecret = process.env.GATEHOUSE_INTROSPECTION_CLIENT_SECRET;
  check(baseUrl !== "" && username && password && secret && homeserverId && homeserverSecret,
    "GATEHOUSE_BASE_URL, GATEHOUSE_USERNAME, GATEHOUSE_PASSWORD and the GATEHOUSE_INTROSPECTION_* variables are needed");

  // 1. Discovery, issuer-checked.
  const issuer = new URL(`${baseUrl}/`);
  const as = await oauth.processDiscoveryResponse(issuer,
    await oauth.discoveryRequest(issuer, { ...http, algorithm: "oidc" }));
  const asOAuth = await oauth.processDiscoveryResponse(issuer,
    await oauth.discoveryRequest(issuer, { ...http, algorithm: "oauth2" }));
  check(JSON.stringify(as) === JSON.stringify(asOAuth), "the two well-known documents differ");
  const localhost = new URL(issuer.href.replace("127.0.0.1", "localhost"));
  const wrongIssuer = await rejection(async () => oauth.processDiscoveryResponse(localhost,
    await oauth.discoveryRequest(issuer, { ...http, algorithm: "oidc" })));

  // 2. Registration.
  const client = await oauth.processDynamicClientRegistrationResponse(await oauth.dynamicClientRegistrationRequest(as, {
    client_name: "oauth4webapi interop",
    client_uri: "https://oauth4webapi.example.org/",
    application_type: "native",
    redirect_uris: [REDIRECT_URI],
    token_endpoint_auth_method: "none",
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
  }, http));
  const publicClient = oauth.None();

  // 3. Authorization code + PKCE, state, nonce.
  const deviceId = `O4W${crypto.randomUUID().replace(/-/g, "").slice(0, 12).toUpperCase()}`;
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const authorizationUrl = new URL(as.authorization_endpoint);
  authorizationUrl.search = new URLSearchParams({
    response_type: "code",
    client_id: client.client_id,
    redirect_uri: REDIRECT_URI,
    scope: `openid urn:matrix:client:api:* urn:matrix:client:device:${deviceId}`,
    state,
    nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
  }).toString();
  const person = new UserAgent({ username, password });
  const callback = await person.authorize(authorizationUrl.href, REDIRECT_URI);
  const forgedIss = new URL(callback);
  forgedIss.searchParams.set("iss", "https://attacker.example.org/");
  const mixUp = await rejection(async () => oauth.validateAuthResponse(as, client, forgedIss, state));
  const wrongState = await rejection(async () => oauth.validateAuthResponse(as, client, callback, `${state}x`));
  const params = oauth.validateAuthResponse(as, client, callback, state);

  const tokenResponse = await oauth.authorizationCodeGrantRequest(as, client, publicClient, params, REDIRECT_URI,
    codeVerifier, http);
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, tokenResponse,
    { expectedNonce: nonce, requireIdToken: true });
  await oauth.validateApplicationLevelSignature(as, tokenResponse, http);
  const claims = oauth.getValidatedIdTokenClaims(tokens);
  const idTokenAlg = JSON.parse(Buffer.from(tokens.id_token.split(".")[0], "base64url").toString()).alg;

  // 4. userinfo.
  const userinfo = await oauth.processUserInfoResponse(as, client, claims.sub,
    await oauth.userInfoRequest(as, client, tokens.access_token, http));

  // 5. Refresh and introspection.
  const refreshed = await oauth.processRefreshTokenResponse(as, client,
    await oauth.refreshTokenGrantRequest(as, client, publicClient, tokens.refresh_token, http));
  const homeserver = { client_id: homeserverId };
  const bearer = sharedSecretBearer(secret);
  const basic = oauth.ClientSecretBasic(homeserverSecret);
  const introspected = {
    access: await introspect(as, homeserver, bearer, refreshed.access_token),
    refresh: await introspect(as, homeserver, bearer, refreshed.refresh_token),
    consumedRefresh: await introspect(as, homeserver, bearer, tokens.refresh_token),
    previousAccess: await introspect(as, homeserver, bearer, tokens.access_token),
    accessAsClient: await introspect(as, homeserver, basic, refreshed.access_token),
    wrongSecret: await rejection(() => introspect(as, homeserver, sharedSecretBearer(`${secret}-wrong`),
      refreshed.access_token)),
  };

  // 6. Revocation of the refresh token, then introspection of both.
  await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, publicClient, refreshed.refresh_token,
    { ...http, additionalParameters: { token_type_hint: "refresh_token" } }));
  const afterRevocation = {
    access: await introspect(as, homeserver, bearer, refreshed.access_token),
    refresh: await introspect(as, homeserver, bearer, refreshed.refresh_token),
    refreshGrant: await rejection(async () => oauth.processRefreshTokenResponse(as, client,
      await oauth.refreshTokenGrantRequest(as, client, publicClient, refreshed.refresh_token, http))),
  };

  console.log(JSON.stringify({
    ok: true,
    node: process.version,
    discovery: { issuer: as.issuer, issResponseParameter: as.authorization_response_iss_parameter_supported },
    clientId: client.client_id,
    deviceId,
    authorization: { steps: person.steps, iss: callback.searchParams.get("iss") },
    tokens: {
      accessShape: shapeOf(tokens.access_token),
      refreshShape: shapeOf(tokens.refresh_token),
      // The library lower-cases token_type and refuses anything but bearer and DPoP.
      tokenType: tokens.token_type,
      expiresIn: tokens.expires_in,
      scope: tokens.scope,
    },
    idToken: { iss: claims.iss, aud: claims.aud, sub: claims.sub, nonceMatches: claims.nonce === nonce,
      signatureValidated: true, alg: idTokenAlg },
    userinfo: { sub: userinfo.sub },
    refresh: {
      rotated: refreshed.refresh_token !== tokens.refresh_token && refreshed.access_token !== tokens.access_token,
      accessShape: shapeOf(refreshed.access_token),
      refreshShape: shapeOf(refreshed.refresh_token),
    },
    introspection: introspected,
    afterRevocation,
    strictChecks: { wrongIssuer, mixUp, wrongState },
  }));
  process.exit(0);
}

setTimeout(() => fail("the script did not finish within 90 s"), 90000).unref();
main().catch((e) => fail(String(e?.stack ?? e), { code: e?.code, cause: e?.cause }));
