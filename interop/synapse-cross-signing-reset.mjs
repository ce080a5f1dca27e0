// matrix-js-sdk 37.5.0 with its Rust crypto resets its cross-signing keys behind Synapse (MSC4312), through the
// proxy of conf/synapse/nginx.conf, as Element does it when a person resets their digital identity.
//
//   GATEHOUSE_BASE_URL=http://127.0.0.1:8000 GATEHOUSE_USER_ID=@erin:localhost GATEHOUSE_DEVICE_ID=... \
//   GATEHOUSE_ACCESS_TOKEN=... GATEHOUSE_USERNAME=erin GATEHOUSE_PASSWORD=... node synapse-cross-signing-reset.mjs
//
//  1. bootstrapCrossSigning() creates the first cross-signing keys: Synapse takes the first upload without asking;
//  2. a reset (setupNewCrossSigning) uploads new keys: Synapse answers the UIA-shaped 401 whose stage points at
//     Gatehouse's account page (account_management_uri?action=org.matrix.cross_signing_reset); without an approval
//     the SDK's retry is refused again, and the keys stay the old ones;
//  3. the same reset, where the person opens that URL, signs in and presses "Approve the reset": Gatehouse tells
//     Synapse (allow_cross_signing_reset), and the SDK's retry of the upload goes through; the master key changed.
// Prints one JSON line with what was observed and exits 0, or {"ok": false, ...} and exits 1.
import { createClient } from "matrix-js-sdk";
import { CrossSigningKey } from "matrix-js-sdk/lib/crypto-api/index.js";
import { logger } from "matrix-js-sdk/lib/logger.js";
import { PageBrowser } from "./lib/qr-link-page.mjs";
import { env, fail } from "./lib/script.mjs";

logger.setLevel("warn");
const observed = {};

/** The stage URL of a UIA answer (the stable m.oauth stage, else MSC4312's unstable one). */
function stageUrl(error) {
  const params = error?.data?.params ?? {};
  return params["m.oauth"]?.url ?? params["org.matrix.cross_signing_reset"]?.url;
}

/** One UIA round as a client does it without a person: ask, and keep what the server answered. */
function refusedUpload(into) {
  return async (makeRequest) => {
    try {
      await makeRequest(null);
      into.uploaded = true;
    } catch (e) {
      into.status = e.httpStatus;
      into.flows = (e.data?.flows ?? []).map((f) => f.stages);
      into.url = stageUrl(e);
      throw e;
    }
  };
}

async function main() {
  const baseUrl = env("GATEHOUSE_BASE_URL").replace(/\/+$/, "");
  const client = createClient({ baseUrl, accessToken: env("GATEHOUSE_ACCESS_TOKEN"), userId: env("GATEHOUSE_USER_ID"),
    deviceId: env("GATEHOUSE_DEVICE_ID") });
  await client.initRustCrypto({ useIndexedDB: false });
  const crypto = client.getCrypto();

  // 1. The first keys.
  const first = {};
  await crypto.bootstrapCrossSigning({ authUploadDeviceSigningKeys: refusedUpload(first) });
  observed.bootstrap = { uploaded: first.uploaded === true, ready: await crypto.isCrossSigningReady() };
  const masterBefore = await crypto.getCrossSigningKeyId(CrossSigningKey.Master);
  observed.masterKeyBefore = masterBefore;

  // 2. A reset nobody approved.
  const refused = {};
  observed.withoutApproval = await crypto.bootstrapCrossSigning({ setupNewCrossSigning: true,
    authUploadDeviceSigningKeys: refusedUpload(refused) }).then(() => "uploaded", (e) => `refused ${e.httpStatus}`);
  observed.withoutApproval = { outcome: observed.withoutApproval, ...refused };
  if (!refused.url) {
    fail("Synapse's refusal names no stage URL", { observed });
  }

  // 3. The person approves on the page the stage names, then the SDK retries the upload.
  const approved = {};
  await crypto.bootstrapCrossSigning({ setupNewCrossSigning: true, authUploadDeviceSigningKeys: async (makeRequest) => {
    try {
      await makeRequest(null);
      approved.firstTry = "uploaded";
      return;
    } catch (e) {
      approved.firstTry = `refused ${e.httpStatus}`;
      approved.url = stageUrl(e);
    }
    const browser = new PageBrowser();
    let page = await browser.open(approved.url);
    page = await browser.press(page, "Sign in", { username: env("GATEHOUSE_USERNAME"), password: env("GATEHOUSE_PASSWORD") });
    page = await browser.press(page, "Approve the reset");
    approved.page = { status: page.status, text: page.text.slice(0, 300) };
    await makeRequest(null);
    approved.retry = "uploaded";
  } });
  observed.withApproval = approved;
  observed.masterKeyAfter = await crypto.getCrossSigningKeyId(CrossSigningKey.Master);
  if (!observed.masterKeyAfter || observed.masterKeyAfter === masterBefore) {
    fail("the master key did not change", { observed });
  }
  client.stopClient();
  console.log(JSON.stringify({ ok: true, ...observed }));
  process.exit(0);
}

setTimeout(() => fail("the script did not finish within 90 s", { observed }), 90000).unref();
main().catch((e) => fail(String(e?.stack ?? e), { observed }));
