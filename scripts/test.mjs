#!/usr/bin/env node
// `npm test`: every suite, in the order that fails fastest. Lint and format, types, the production
// build the integration and browser tests run against, the node:test suites on real Postgres and on
// the embedded PGlite, then the browser tests. Flags: --skip-build, --only=node|e2e.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = new Set(process.argv.slice(2));
const only = [...args].find((a) => a.startsWith("--only="))?.slice(7);
const bin = (name) => path.join(root, "node_modules", ".bin", name);

function run(title, command, commandArgs, env = {}) {
  process.stdout.write(`\n=== ${title}\n`);
  const result = spawnSync(command, commandArgs, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) {
    process.stdout.write(`\n=== FAILED: ${title}\n`);
    process.exit(result.status ?? 1);
  }
}

function testFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "fixtures" ? [] : testFiles(full);
    return name.endsWith(".test.ts") ? [path.relative(root, full)] : [];
  });
}

if (!only) {
  run("lint and format (biome)", bin("biome"), ["ci", "."]);
  run("types (tsc)", bin("tsc"), ["--noEmit", "-p", "."]);
}
if (!args.has("--skip-build")) run("production build", process.execPath, [bin("next"), "build"]);

if (!only || only === "node") {
  const files = testFiles(path.join(root, "test")).sort();
  const node = (store) =>
    run(
      `node:test suites on ${store}`,
      process.execPath,
      ["--import", "tsx", "--test", "--test-concurrency=1", "--test-timeout=120000", ...files],
      { TOLLGATE_TEST_DB: store },
    );
  node("postgres");
  node("pglite");
}
if (!only || only === "e2e") {
  run("browser tests (playwright)", bin("playwright"), ["test"]);
}
