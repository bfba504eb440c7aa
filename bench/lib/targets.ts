import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { freePort, type Server, spawnServer, waitUntil } from "./proc";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");
const BARE_DIR = path.join(ROOT, "bench/bare-next");
/** Where bench/bare-next/next.config.ts puts its build: under the ignored .tmp/. */
const BARE_BUILD = path.join(ROOT, ".tmp/bench-bare-next");
const PORTKEY_BIN = path.join(ROOT, "node_modules/@portkey-ai/gateway/build/start-server.js");

/** Something the load is sent to: a server process and how a chat completion reaches it. */
export interface Target {
  id: string;
  label: string;
  server: Server;
  /** The chat completions URL. */
  url: string;
  headers: Record<string, string>;
  /** Keys to rotate through; unset: the one in `headers`. */
  bearers?: string[];
}

/** The environment every server starts with: ours, minus anything that would reach out. */
export function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  for (const name of ["NODE_OPTIONS", "DATABASE_URL", "REDIS_URL", "OTEL_EXPORTER_OTLP_ENDPOINT"])
    delete env[name];
  return env;
}

/** Builds Tollgate and the bare app when they have no build yet, or always with `force`. */
export function ensureBuilds(force: boolean, say: (line: string) => void): void {
  const builds = [
    { name: "Tollgate", cwd: ROOT, id: path.join(ROOT, ".next/BUILD_ID") },
    { name: "the bare Next.js app", cwd: BARE_DIR, id: path.join(BARE_BUILD, "BUILD_ID") },
  ];
  for (const build of builds) {
    if (!force && existsSync(build.id)) continue;
    say(`building ${build.name} (next build, about a minute)`);
    const run = spawnSync(process.execPath, [NEXT_BIN, "build"], {
      cwd: build.cwd,
      env: baseEnv(),
      stdio: ["ignore", "inherit", "inherit"],
      timeout: 600_000,
    });
    if (run.status !== 0) throw new Error(`next build of ${build.name} failed`);
  }
}

const answers = (url: string) => async () => (await fetch(url)).status > 0;

/** The fake provider (bench/servers/fake-provider.mjs), its own process. */
export async function startFakeProvider(logDir: string, holdMs: number): Promise<Target> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = spawnServer("fake provider", url, ["bench/servers/fake-provider.mjs", `${port}`], {
    cwd: ROOT,
    env: { ...baseEnv(), BENCH_HOLD_MS: String(holdMs) },
    logFile: path.join(logDir, "fake-provider.log"),
  });
  await waitUntil(server, answers(url));
  return {
    id: "direct",
    label: "fake provider, direct",
    server,
    url: `${url}/v1/chat/completions`,
    headers: { "content-type": "application/json", authorization: "Bearer sk-bench" },
  };
}

/** The bare Next.js route handler that only forwards (bench/bare-next); `nodeArgs`: profiling. */
export async function startBare(
  logDir: string,
  providerUrl: string,
  nodeArgs: string[] = [],
): Promise<Target> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const name = nodeArgs.length > 0 ? "bare-next-profiled" : "bare-next";
  const server = spawnServer(
    "bare Next.js",
    url,
    [...nodeArgs, NEXT_BIN, "start", "-p", `${port}`, "-H", "127.0.0.1"],
    {
      cwd: BARE_DIR,
      env: { ...baseEnv(), BENCH_UPSTREAM_URL: providerUrl },
      logFile: path.join(logDir, `${name}.log`),
    },
  );
  await waitUntil(server, answers(url));
  return {
    id: "bare",
    label: "bare Next.js forward",
    server,
    url: `${url}/api/forward`,
    headers: { "content-type": "application/json", authorization: "Bearer sk-bench" },
  };
}

/**
 * Portkey's open-source gateway from npm, as its CLI starts it, bound to loopback by a preload
 * (its CLI has no host option) and routed to the fake provider with its custom-host header.
 */
export async function startPortkey(logDir: string, providerUrl: string): Promise<Target> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = spawnServer(
    "Portkey",
    url,
    ["--import", "./bench/servers/loopback-only.mjs", PORTKEY_BIN, `--port=${port}`, "--headless"],
    {
      cwd: ROOT,
      env: { ...baseEnv(), NODE_ENV: "production" },
      logFile: path.join(logDir, "portkey.log"),
    },
  );
  await waitUntil(server, answers(url));
  return {
    id: "portkey",
    label: "Portkey gateway",
    server,
    url: `${url}/v1/chat/completions`,
    headers: {
      "content-type": "application/json",
      authorization: "Bearer sk-bench",
      "x-portkey-provider": "openai",
      "x-portkey-custom-host": `${providerUrl}/v1`,
    },
  };
}

/** The installed version of a package, read from its package.json. */
export function packageVersion(name: string): string {
  try {
    const file = path.join(ROOT, "node_modules", name, "package.json");
    return (JSON.parse(readFileSync(file, "utf8")) as { version?: string }).version ?? "?";
  } catch {
    return "?";
  }
}
