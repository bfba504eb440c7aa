import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3107);
const dataDir = path.join(tmpdir(), `tollgate-e2e-${Date.now()}`);

// Browser tests drive Debian's Chromium (never a downloaded browser) against the production build,
// on the embedded database in a fresh directory.
export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  reporter: [["list"]],
  timeout: 30_000,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
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
  webServer: {
    command: `node node_modules/next/dist/bin/next start -p ${port} -H 127.0.0.1`,
    url: `http://127.0.0.1:${port}/api/ready`,
    timeout: 60_000,
    reuseExistingServer: false,
    env: { TOLLGATE_DATA_DIR: dataDir, TOLLGATE_DEMO: "off", DATABASE_URL: "" },
  },
});
