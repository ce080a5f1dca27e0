// What matrix-js-sdk's OAuth helpers need of the web app they run in, for the scripts that drive them from Node.
import { InMemoryWebStorage } from "oidc-client-ts";

// Where the "web app" lives. It is never contacted: the user agent stops at the redirect to it.
export const APP_ORIGIN = "https://client.example.org";
export const REDIRECT_URI = `${APP_ORIGIN}/oauth/callback`;

// The SDK's OAuth helpers are written for a browser: they keep the authorization request (state, nonce, PKCE
// verifier) in window.sessionStorage between building the URL and completing the grant, and rebuild the callback
// URL from window.location.origin. Node has neither, so this gives them exactly those two things, with
// oidc-client-ts's own in-memory Storage implementation; nothing else of a browser is pretended.
globalThis.window = {
  sessionStorage: new InMemoryWebStorage(),
  localStorage: new InMemoryWebStorage(),
  location: { origin: APP_ORIGIN },
};
