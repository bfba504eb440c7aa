import { type ChildProcess, spawn } from "node:child_process";
import { openSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";

/** Kernel clock ticks per second for /proc times: 100 on every Linux this runs on. */
const CLK_TCK = 100;
const PAGE_KB = 4;

/** A server under test: its process, its address and where its output goes. */
export interface Server {
  name: string;
  url: string;
  child: ChildProcess;
  pid: number;
  logFile: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Spawns a server with stdout and stderr in a log file (never piped: that would cost our CPU). */
export function spawnServer(
  name: string,
  url: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; logFile: string },
): Server {
  const log = openSync(opts.logFile, "a");
  const child = spawn(process.execPath, args, {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ["ignore", log, log],
  });
  if (child.pid === undefined) throw new Error(`${name} did not start`);
  return { name, url, child, pid: child.pid, logFile: opts.logFile };
}

/** Waits until `probe` answers without throwing, or fails after `timeoutMs` or if the server exits. */
export async function waitUntil(
  server: Server,
  probe: () => Promise<boolean>,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) {
      throw new Error(`${server.name} exited with ${server.child.exitCode}; see ${server.logFile}`);
    }
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `${server.name} was not ready within ${timeoutMs / 1000} s; see ${server.logFile}`,
  );
}

/** Sends SIGTERM and waits up to `graceMs` for the exit, then SIGKILL. */
export async function stopServer(server: Server, graceMs = 20_000): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs))]);
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

interface ProcStat {
  pid: number;
  ppid: number;
  cpuTicks: number;
  /** CPU of exited children the process has waited for. */
  reapedTicks: number;
  rssKb: number;
}

function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces; the fields after its closing paren are fixed.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const num = (i: number) => Number(fields[i - 3]);
    return {
      pid,
      ppid: num(4),
      cpuTicks: num(14) + num(15),
      reapedTicks: num(16) + num(17),
      rssKb: num(24) * PAGE_KB,
    };
  } catch {
    return null;
  }
}

/** The process and every descendant: a server that forks workers is measured whole. */
function tree(root: number): ProcStat[] {
  const all = readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readStat(Number(d)))
    .filter((s): s is ProcStat => s !== null);
  const found = all.filter((s) => s.pid === root);
  for (let i = 0; i < found.length; i++) {
    const parent = found[i]?.pid;
    for (const s of all) if (s.ppid === parent) found.push(s);
  }
  return found;
}

/** CPU time (user + system) the process tree has used so far, in milliseconds. */
export function cpuMs(pid: number): number {
  return (tree(pid).reduce((sum, s) => sum + s.cpuTicks, 0) * 1000) / CLK_TCK;
}

/** Resident memory of the process tree now, in megabytes. */
export function rssMb(pid: number): number {
  return tree(pid).reduce((sum, s) => sum + s.rssKb, 0) / 1024;
}

/** The kernel's high-water mark of resident memory of one process (VmHWM), in megabytes. */
export function peakRssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(status.match(/VmHWM:\s+(\d+)/)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** Samples the tree's RSS every `everyMs` until stopped; returns the highest value seen. */
export function sampleRss(pid: number, everyMs = 100): () => number {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, everyMs);
  return () => {
    clearInterval(timer);
    return Math.max(peak, rssMb(pid));
  };
}

/** CPU time the whole machine has been busy (every core, idle and I/O wait left out), in ms. */
export function machineBusyMs(): number {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]?.trim().split(/\s+/) ?? [];
  // cpu user nice system idle iowait irq softirq steal …
  const busy = [1, 2, 3, 6, 7, 8].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
  return (busy * 1000) / CLK_TCK;
}

/** CPU of this process and everything it started, alive or exited, in ms. */
export function ownCpuMs(): number {
  const stats = tree(process.pid);
  return (stats.reduce((sum, s) => sum + s.cpuTicks + s.reapedTicks, 0) * 1000) / CLK_TCK;
}
