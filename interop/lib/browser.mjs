// Headless Chromium from Debian's packages, driven by playwright-core (which never downloads a browser of its
// own). Flags: this machine's network is closed, so Chromium's background connections (updates, sync,
// safe browsing) are switched off rather than left to fail at every start; --no-sandbox because CI runs as root.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const CHROMIUM = process.env.GATEHOUSE_CHROMIUM || "/usr/bin/chromium";

/** Starts a fresh headless browser with an empty profile; `close()` removes the profile again. */
export async function launchBrowser() {
  const profile = mkdtempSync(join(tmpdir(), "gatehouse-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
  return {
    context,
    async newPage() {
      return context.newPage();
    },
    async close() {
      try {
        await context.close();
      } finally {
        rmSync(profile, { recursive: true, force: true });
      }
    },
  };
}
