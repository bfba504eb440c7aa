import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds on the monotonic clock, the one process.hrtime reads. */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** One row of the summary: a function or an area, and its share of the busy CPU time. */
export interface Share {
  name: string;
  where: string;
  area: string;
  percent: number;
}

export interface ProfileSummary {
  busyMs: number;
  /** Responses completed while the samples were taken, set by the caller: for µs per request. */
  requests?: number;
  /** Self time grouped by where the code comes from. */
  areas: Share[];
  /** Functions by self time. */
  selfTop: Share[];
  /** Tollgate's own functions by total time (their callees included). */
  tollgateTotal: Share[];
}

const IDLE = new Set(["(idle)", "(program)", "(root)"]);

/**
 * Maps positions in bundled chunks (.next/server/chunks/*.js, minified) back to the source file
 * and line through the source maps Turbopack writes beside them.
 */
class Locator {
  private readonly maps = new Map<string, SourceMap | null>();
  constructor(private readonly root: string) {}

  locate(frame: CallFrame): { file: string; line: number } {
    const file = frame.url.startsWith("file://") ? fileURLToPath(frame.url) : frame.url;
    const map = file.endsWith(".js") ? this.mapOf(file) : null;
    const entry = map?.findEntry(frame.lineNumber, frame.columnNumber);
    if (entry && "originalSource" in entry && entry.originalSource) {
      const source = entry.originalSource.replace(/^turbopack:\/\/\/\[project\]\//, "");
      const absolute = path.resolve(path.dirname(file), decodeURIComponent(source));
      return { file: path.relative(this.root, absolute), line: entry.originalLine + 1 };
    }
    const shown = path.isAbsolute(file) ? path.relative(this.root, file) : file;
    return { file: shown, line: frame.lineNumber + 1 };
  }

  /**
   * A readable name: the profile's own unless minified, else the one the source line declares
   * (`function x`, `x(…) {`, `x = (…) =>`), else the source line itself, shortened.
   */
  nameOf(given: string, file: string, line: number): string {
    if (given && given.length > 2 && !/^[\w$]{1,2}\./.test(given)) return given;
    const text = this.sourceLine(file, line);
    if (!text) return given || "(anonymous)";
    const declared =
      text.match(/function\*?\s+([\w$]+)/) ??
      text.match(/^\s*(?:async\s+)?([\w$]+)\s*\([^)]*\)?[^=]*\{\s*$/) ??
      text.match(/([\w$]+)\s*[:=]\s*(?:async\s*)?\(?[\w$,\s:<>{}]*\)?\s*(?::[^=]+)?=>/);
    return declared?.[1] ?? `“${text.trim().slice(0, 48)}”`;
  }

  private readonly sources = new Map<string, string[]>();
  private sourceLine(file: string, line: number): string | undefined {
    if (!file || file.startsWith("node:") || path.isAbsolute(file)) return undefined;
    if (!this.sources.has(file)) {
      const absolute = path.join(this.root, file);
      this.sources.set(
        file,
        existsSync(absolute) ? readFileSync(absolute, "utf8").split("\n") : [],
      );
    }
    return this.sources.get(file)?.[line - 1];
  }

  private mapOf(file: string): SourceMap | null {
    if (!this.maps.has(file)) {
      const mapFile = `${file}.map`;
      this.maps.set(
        file,
        existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, "utf8"))) : null,
      );
    }
    return this.maps.get(file) ?? null;
  }
}

/** Where code comes from: Tollgate's folders, a package, Node itself, or V8. */
function areaOf(file: string, name: string): string {
  if (name === "(garbage collector)") return "garbage collection";
  const pkg = file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1];
  // drizzle-orm's own maps name ../src/*.ts, which lands beside the package, not in it.
  if (pkg === "src") return "drizzle-orm";
  if (pkg) return pkg === "next" ? "Next.js" : pkg;
  if (file.startsWith("node:internal/deps/undici")) return "undici (fetch)";
  if (file.startsWith("node:")) return "Node.js core";
  if (file === "") return "V8 builtins (JSON, RegExp, …)";
  const top = file.split("/")[0] ?? "";
  if (["lib", "app", "db"].includes(top))
    return `Tollgate ${file.split("/").slice(0, 2).join("/")}`;
  return file;
}

/** A stretch of the monotonic clock in microseconds (process.hrtime.bigint() / 1000n). */
export interface Window {
  fromUs: number;
  toUs: number;
}

/** The monotonic clock in microseconds, comparable with a profile's sample times. */
export const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

/**
 * Self and total time per function of a .cpuprofile, mapped to sources, largest first. Only the
 * samples inside `window` count: start-up and warm-up are left out.
 */
export function summariseProfile(
  profileFile: string,
  root: string,
  window: Window,
  top = 15,
): ProfileSummary {
  const profile = JSON.parse(readFileSync(profileFile, "utf8")) as CpuProfile;
  const locator = new Locator(root);
  const parent = new Map<number, number>();
  const info = new Map<number, { key: string; name: string; where: string; area: string }>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id);
    const { file, line } = locator.locate(node.callFrame);
    const name = locator.nameOf(node.callFrame.functionName, file, line);
    const where = file ? `${file}:${line}` : "";
    info.set(node.id, { key: `${name} ${where}`, name, where, area: areaOf(file, name) });
  }

  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const areas = new Map<string, number>();
  let busy = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const node = info.get(id);
    const micros = profile.timeDeltas[i] ?? 0;
    at += micros;
    if (at < window.fromUs || at > window.toUs) return;
    if (!node || IDLE.has(node.name)) return;
    busy += micros;
    self.set(node.key, (self.get(node.key) ?? 0) + micros);
    areas.set(node.area, (areas.get(node.area) ?? 0) + micros);
    // Total time: each function on the stack once, however deep it recurses.
    const seen = new Set<string>();
    for (let up: number | undefined = id; up !== undefined; up = parent.get(up)) {
      const frame = info.get(up);
      if (frame && !seen.has(frame.key)) {
        seen.add(frame.key);
        total.set(frame.key, (total.get(frame.key) ?? 0) + micros);
      }
    }
  });

  const byKey = new Map([...info.values()].map((v) => [v.key, v]));
  const shares = (m: Map<string, number>, keep: (key: string) => boolean, limit = top) =>
    [...m.entries()]
      .filter(([key]) => keep(key))
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([key, micros]) => {
        const v = byKey.get(key);
        return {
          name: v?.name ?? key,
          where: v?.where ?? "",
          area: v?.area ?? key,
          percent: (100 * micros) / busy,
        };
      });
  const isTollgate = (key: string) => byKey.get(key)?.area.startsWith("Tollgate") ?? false;
  return {
    busyMs: busy / 1000,
    areas: shares(areas, () => true, areas.size).map((s) => ({ ...s, where: "" })),
    selfTop: shares(self, () => true),
    tollgateTotal: shares(total, isTollgate),
  };
}
