#!/usr/bin/env node
// `npm start`: builds the production app when there is no build yet, then serves it. Migrations and
// the demo tenant happen inside the server process (instrumentation.ts), because the embedded
// database can be opened by one process only.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const next = path.join(root, "node_modules", "next", "dist", "bin", "next");

if (!existsSync(path.join(root, ".next", "BUILD_ID")) || process.env.TOLLGATE_REBUILD === "1") {
  process.stdout.write("No production build found: running `next build` (about a minute)...\n");
  const build = spawnSync(process.execPath, [next, "build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const port = process.env.PORT ?? "3000";
const server = spawn(
  process.execPath,
  [next, "start", "-p", port, "-H", process.env.HOST ?? "0.0.0.0"],
  {
    cwd: root,
    stdio: "inherit",
    // Tollgate's own handler (lib/boot.ts) drains calls and flushes usage before exiting.
    env: { ...process.env, NEXT_MANUAL_SIG_HANDLE: "true" },
  },
);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => server.kill(signal));
}
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
