// End-to-end tests: Beacon's production build served by server.ts (embedded PostgreSQL in a fresh
// data dir), driven in Debian's Chromium.
import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3211);
/** A local receiver of custom slash commands in e2e/commands.spec.ts (allowed by WEBHOOK_ALLOW_HOSTS). */
export const E2E_HOOK_PORT = PORT + 1000;
export const E2E_DATA_DIR = ".e2e-data";
/** Specs that change the workspace's settings: run in the "workspace" project, after the rest. */
const WORKSPACE_SPECS = /(invites|authz-access)\.spec\.ts/;

function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined; // else Playwright's own browser
}

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: "list",
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--disable-quic",
      ],
    },
  },
  projects: [
    // The first account on the fresh server becomes its owner: make it a known one (e2e/owner.ts).
    // The "workspace" specs run as its teardown: after every project that depends on setup is done.
    { name: "setup", testMatch: /owner\.setup\.ts/, teardown: "workspace" },
    {
      name: "chromium",
      use: { ...devices["Desktop Chrome"] },
      dependencies: ["setup"],
      testIgnore: WORKSPACE_SPECS,
    },
    // Specs that change workspace-wide settings (an invite-only workspace refuses every other spec's
    // sign-ups) run alone, after the others.
    { name: "workspace", use: { ...devices["Desktop Chrome"] }, testMatch: WORKSPACE_SPECS },
  ],
  webServer: {
    command: `rm -rf ${E2E_DATA_DIR} && exec node --import tsx server.ts`,
    url: `http://localhost:${PORT}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    // Let server.ts drain and stop its embedded PostgreSQL (a SIGKILL would orphan it).
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    stdout: "ignore",
    stderr: "pipe",
    env: {
      NODE_ENV: "production",
      PORT: String(PORT),
      HOST: "127.0.0.1",
      DATA_DIR: E2E_DATA_DIR,
      LOG_LEVEL: "warn",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: "",
      // The suite creates many users and seeds rooms quickly; limits are tested on their own server.
      RATE_LIMIT_SCALE: "1000",
      // e2e/webhooks.spec.ts: its receiver listens on 127.0.0.1 (any port); retries are scaled down
      // (0.4 s, 1.2 s, 2.4 s, 12 s… instead of 10 s, 30 s, 1 min, 5 min…) and polled often.
      WEBHOOK_ALLOW_HOSTS: "127.0.0.1",
      WEBHOOK_RETRY_BASE_MS: "400",
      WEBHOOK_POLL_MS: "200",
    },
  },
});
