/** What `npm run bench` runs, from its flags. */
export interface Options {
  quick: boolean;
  /** Seconds of each measured run. */
  durationS: number;
  /** Runs per target and scenario, interleaved. */
  rounds: number;
  /** JSON calls each server gets before it is measured (and half as many streamed ones). */
  warmupRequests: number;
  tenants: number;
  events: number;
  streams: number;
  holdMs: number;
  ttftStreams: number;
  /** Skips the scale figures (tenants, history, open streams). */
  scale: boolean;
  rebuild: boolean;
  /** Only writes the report again from the last run's raw figures (after editing the notes). */
  reportOnly: boolean;
  /** Where the Markdown report goes. */
  out: string;
}

const HELP = `npm run bench [-- options]

  --quick          CI-sized: 1.5 s runs, one round, 1,000 tenants, 20,000 events, 500 streams
  --duration=S     seconds per measured run (default 3.5)
  --rounds=N       interleaved runs per target and scenario (default 2)
  --no-scale       skip the scale figures (tenants, usage history, open streams)
  --build          rebuild Tollgate and the bare Next.js app first
  --report         measure nothing: write the report again from the last run's raw figures
  --out=FILE       report path (default bench/results/latest.md; quick: bench/results/quick.md)
`;

export function parseOptions(argv: string[]): Options {
  const flag = (name: string) => argv.includes(`--${name}`);
  const value = (name: string): number | undefined => {
    const raw = argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
    return n;
  };
  if (flag("help")) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const quick = flag("quick");
  return {
    quick,
    durationS: value("duration") ?? (quick ? 1.5 : 3.5),
    rounds: Math.round(value("rounds") ?? (quick ? 1 : 2)),
    warmupRequests: quick ? 1000 : 5000,
    tenants: quick ? 1000 : 10_000,
    events: quick ? 20_000 : 1_000_000,
    streams: quick ? 500 : 5000,
    holdMs: quick ? 8000 : 25_000,
    ttftStreams: quick ? 10 : 30,
    scale: !flag("no-scale"),
    rebuild: flag("build"),
    reportOnly: flag("report"),
    out:
      argv.find((a) => a.startsWith("--out="))?.slice("--out=".length) ??
      (quick ? "bench/results/quick.md" : "bench/results/latest.md"),
  };
}
