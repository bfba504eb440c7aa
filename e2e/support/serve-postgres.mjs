// Playwright's web server on real Postgres: creates the fresh database the run named in
// TOLLGATE_E2E_DB, then serves the production build on it. The global teardown drops it.
import { spawn } from "node:child_process";
import path from "node:path";
import postgres from "postgres";

const port = process.argv[2] ?? "3108";
const adminUrl = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const name = process.env.TOLLGATE_E2E_DB ?? "";
if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad TOLLGATE_E2E_DB: "${name}"`);

const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
await sql.unsafe(`drop database if exists ${name} with (force)`);
await sql.unsafe(`create database ${name}`);
await sql.end();

const next = path.resolve(import.meta.dirname, "../../node_modules/next/dist/bin/next");
const server = spawn(process.execPath, [next, "start", "-p", port, "-H", "127.0.0.1"], {
  stdio: "inherit",
  env: { ...process.env, DATABASE_URL: adminUrl.replace(/\/[^/]*$/, `/${name}`) },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
