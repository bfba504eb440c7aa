import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

const pglitePort = Number(process.env.E2E_PORT ?? 3107);
const postgresPort = pglitePort + 1;
const run = `${process.pid}_${Date.now().toString(36)}`;
// Set once in the runner; workers inherit it, so every process names the same database.
process.env.TOLLGATE_E2E_DB ??= `tollgate_e2e_${run}`;

const serverEnv = (dataDir: string) => ({
  TOLLGATE_DATA_DIR: path.join(tmpdir(), dataDir),
  TOLLGATE_DEMO: "off",
  TOLLGATE_ADMIN_EMAILS: "ops@example.com",
  // The dashboard's Stripe mode is covered by the webhook tests; the browser runs self-hosted.
  STRIPE_SECRET_KEY: "",
});

// Browser tests drive Debian's Chromium (never a downloaded browser) against the production build,
// once on the embedded PGlite and once on a fresh real Postgres database.
export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  reporter: [["list"]],
  timeout: 30_000,
  globalTeardown: "./e2e/support/teardown.ts",
  use: {
    screenshot: "on",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
      ],
    },
  },
  projects: [
    { name: "pglite", use: { baseURL: `http://127.0.0.1:${pglitePort}` } },
    { name: "postgres", use: { baseURL: `http://127.0.0.1:${postgresPort}` } },
  ],
  webServer: [
    {
      command: `node node_modules/next/dist/bin/next start -p ${pglitePort} -H 127.0.0.1`,
      url: `http://127.0.0.1:${pglitePort}/api/ready`,
      timeout: 60_000,
      reuseExistingServer: false,
      env: { ...serverEnv(`tollgate-e2e-${run}`), DATABASE_URL: "" },
    },
    {
      command: `node e2e/support/serve-postgres.mjs ${postgresPort}`,
      url: `http://127.0.0.1:${postgresPort}/api/ready`,
      timeout: 60_000,
      reuseExistingServer: false,
      env: serverEnv(`tollgate-e2e-pg-${run}`),
    },
  ],
});
