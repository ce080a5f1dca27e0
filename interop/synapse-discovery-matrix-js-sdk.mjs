// matrix-js-sdk 37.5.0 discovering what the server supports behind the proxy of conf/synapse/nginx.conf, where
// Gatehouse answers /_matrix/client/versions and /capabilities with Synapse's answers (asked with the client's
// token) and its own features merged in.
//
//   GATEHOUSE_BASE_URL=http://127.0.0.1:8000 GATEHOUSE_ADMIN_USER_ID=@moderator:localhost \
//   GATEHOUSE_ADMIN_TOKEN=... GATEHOUSE_USER_ID=@alice:localhost GATEHOUSE_USER_TOKEN=... \
//     node synapse-discovery-matrix-js-sdk.mjs
//
// For three clients (without a token, a person's, an admin's with urn:synapse:admin:*), each a fresh MatrixClient
// (the SDK keeps /versions for the client's life): doesServerSupportUnstableFeature() for Gatehouse's flags and one
// of Synapse's own, isVersionSupported() for a version only Synapse lists (r0.6.1), and, with a token,
// getCapabilities() as the SDK's capability service fetches it (GET /_matrix/client/v3/capabilities).
// Prints one JSON line with what each client saw and exits 0, or {"ok": false, ...} and exits 1.
import { createClient } from "matrix-js-sdk";
import { logger } from "matrix-js-sdk/lib/logger.js";
import { env, fail } from "./lib/script.mjs";

logger.setLevel("warn");

const FEATURES = [
  "uk.timedout.msc4323", // Gatehouse: account moderation
  "io.element.msc4388", // Gatehouse: the rendezvous
  "org.matrix.msc4108", // both: Synapse because of msc4108_delegation_endpoint, Gatehouse because it serves it
  "org.matrix.simplified_msc3575", // Synapse's own (simplified sliding sync), which Gatehouse does not name
];

const baseUrl = env("GATEHOUSE_BASE_URL");

/** What one client learns of the server. */
async function view(userId, accessToken) {
  const client = createClient({ baseUrl, userId, accessToken });
  try {
    const features = {};
    for (const feature of FEATURES) {
      features[feature] = await client.doesServerSupportUnstableFeature(feature);
    }
    const seen = {
      features,
      r0: await client.isVersionSupported("r0.6.1"),
      v1_15: await client.isVersionSupported("v1.15"),
    };
    if (accessToken) {
      const capabilities = await client.getCapabilities();
      seen.capabilities = Object.keys(capabilities).sort();
      seen.moderation = capabilities["m.account_moderation"] ?? null;
      seen.changePassword = capabilities["m.change_password"] ?? null;
    }
    return seen;
  } finally {
    client.stopClient();
  }
}

try {
  const anonymous = await view(undefined, undefined);
  const person = await view(env("GATEHOUSE_USER_ID"), env("GATEHOUSE_USER_TOKEN"));
  const admin = await view(env("GATEHOUSE_ADMIN_USER_ID"), env("GATEHOUSE_ADMIN_TOKEN"));
  console.log(JSON.stringify({ ok: true, anonymous, person, admin }));
} catch (e) {
  fail(String(e?.message ?? e), { status: e?.httpStatus, errcode: e?.errcode });
}
