import type { Figure } from "./measure";
import { SCENARIOS } from "./measure";
import { figureOf, type Results, TOLLGATES } from "./results";

/** A table as rows of cells, drawn as Markdown or as aligned text for the terminal. */
export type Table = string[][];

export function markdown(table: Table): string {
  const [head, ...rows] = table;
  if (!head) return "";
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const rule = `|${head.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`;
  return [line(head), rule, ...rows.map(line)].join("\n");
}

export function aligned(table: Table): string {
  const widths = (table[0] ?? []).map((_, i) => Math.max(...table.map((r) => (r[i] ?? "").length)));
  return table
    .map((row) =>
      row
        .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
        .join("  "),
    )
    .join("\n");
}

/** Milliseconds with the precision that matters at their size. */
export function ms(v: number): string {
  if (!Number.isFinite(v)) return "–";
  const a = Math.abs(v);
  return v.toFixed(a < 10 ? 2 : a < 100 ? 1 : 0);
}

const signed = (v: number) => (Number.isFinite(v) ? `${v >= 0 ? "+" : ""}${ms(v)}` : "–");
const int = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString("en-US") : "–");

/**
 * One scenario, every target: throughput, latency, latency added over the direct call, CPU per
 * request and peak RSS of the server process. `figures` defaults to the main run's.
 */
export function scenarioTable(r: Results, scenario: string, figures: Figure[] = r.figures): Table {
  const direct = figureOf(r, "direct", scenario);
  const rows = figures
    .filter((f) => f.scenario === scenario)
    .map((f) => {
      const isDirect = f.target === "direct";
      return [
        r.labels[f.target] ?? f.target,
        int(f.rps),
        ms(f.p50Ms),
        ms(f.p99Ms),
        isDirect ? "" : signed(f.p50Ms - (direct?.p50Ms ?? Number.NaN)),
        isDirect ? "" : signed(f.p99Ms - (direct?.p99Ms ?? Number.NaN)),
        f.cpuMsPerRequest.toFixed(3),
        int(f.peakRssMb),
        `${f.errors + f.non2xx}`,
      ];
    });
  return [
    [
      "target",
      "req/s",
      "p50 ms",
      "p99 ms",
      "added p50",
      "added p99",
      "CPU ms/req",
      "peak RSS MB",
      "errors",
    ],
    ...rows,
  ];
}

/** The ratios the issue asks for, per Tollgate variant and scenario. */
export function ratioTable(r: Results): Table {
  const rows: Table = [];
  for (const t of TOLLGATES) {
    for (const s of SCENARIOS) {
      const f = figureOf(r, t, s.id);
      const bare = figureOf(r, "bare", s.id);
      const portkey = figureOf(r, "portkey", s.id);
      if (!f || !bare) continue;
      rows.push([
        `${r.labels[t] ?? t}, ${s.label}`,
        `${(f.cpuMsPerRequest / bare.cpuMsPerRequest).toFixed(2)}×`,
        portkey ? `${(f.cpuMsPerRequest / portkey.cpuMsPerRequest).toFixed(2)}×` : "–",
        signed(f.p50Ms - bare.p50Ms),
        signed(f.p99Ms - bare.p99Ms),
      ]);
    }
  }
  return [
    [
      "Tollgate",
      "CPU ÷ bare",
      "CPU ÷ Portkey",
      "added p50 − bare's (ms)",
      "added p99 − bare's (ms)",
    ],
    ...rows,
  ];
}

export function ttftTable(r: Results): Table {
  const direct = r.ttft.find((t) => t.target === "direct");
  return [
    ["target", "streams", "TTFT p50 ms", "TTFT p99 ms", "added p50", "pauses passed on", "errors"],
    ...r.ttft.map((t) => [
      r.labels[t.target] ?? t.target,
      `${t.requests}`,
      ms(t.ttftP50Ms),
      ms(t.ttftP99Ms),
      t.target === "direct" ? "" : signed(t.ttftP50Ms - (direct?.ttftP50Ms ?? Number.NaN)),
      `${t.gapsSeen} of ${t.gapsSent}`,
      `${t.errors}`,
    ]),
  ];
}

export function streamsTable(r: Results): Table {
  return [
    [
      "target",
      "streams",
      "most open at once",
      "completed",
      "errors",
      "all open after (s)",
      "RSS before MB",
      "RSS peak MB",
      "KB per stream",
      "CPU ms per stream",
    ],
    ...r.streams.map((s) => [
      r.labels[s.target] ?? s.target,
      int(s.streams),
      int(s.peakOpen),
      int(s.completed),
      `${s.errors}${
        s.errors
          ? ` (${Object.entries(s.errorKinds)
              .map(([k, n]) => `${k}: ${n}`)
              .join(", ")})`
          : ""
      }`,
      (s.openAllMs / 1000).toFixed(1),
      int(s.rssBeforeMb),
      int(s.rssPeakMb),
      int(s.kbPerStream),
      s.cpuMsPerStream.toFixed(2),
    ]),
  ];
}
