import autocannon from "autocannon";

/** One load run: who to call, with what, how hard and for how long. */
export interface LoadSpec {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  durationS: number;
  /** Stop after this many requests instead (still within `durationS` + 30 s). */
  amount?: number;
  /** Authorization values to rotate through, one per request: traffic from many keys. */
  bearers?: string[];
}

export interface LoadResult {
  /** Completed responses, any status. */
  requests: number;
  /** Responses with a status other than 2xx. */
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  durationS: number;
  /** Every 2xx response's full time in milliseconds (autocannon's own histogram keeps whole ms). */
  latenciesMs: number[];
}

/** At most this many latencies are kept per run: bounds memory on the fastest targets. */
const MAX_SAMPLES = 2_000_000;

/**
 * Runs autocannon against one URL on loopback. It stops itself after `durationS`; a guard stops it
 * 30 s later whatever happens, so no run can hang the benchmark.
 */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(spec.url))
    throw new Error(`load goes to 127.0.0.1 only: ${spec.url}`);
  const latenciesMs: number[] = [];
  let next = 0;
  const bearers = spec.bearers;
  const rotate = bearers?.length
    ? (request: autocannon.Request): autocannon.Request => {
        const bearer = bearers[next++ % bearers.length] ?? "";
        return { ...request, headers: { ...request.headers, authorization: `Bearer ${bearer}` } };
      }
    : undefined;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        method: "POST",
        headers: spec.headers,
        body: spec.body,
        connections: spec.connections,
        duration: spec.durationS,
        ...(spec.amount ? { amount: spec.amount } : {}),
        timeout: 20,
        ...(rotate ? { requests: [{ setupRequest: rotate }] } : {}),
      },
      (err: Error | null, res: autocannon.Result) => (err ? reject(err) : resolve(res)),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode < 300 && latenciesMs.length < MAX_SAMPLES) latenciesMs.push(responseTime);
    });
    const guard = setTimeout(() => instance.stop(), (spec.durationS + 30) * 1000);
    instance.on("done", () => clearTimeout(guard));
  });
  const requests = result["1xx"] + result["2xx"] + result["3xx"] + result["4xx"] + result["5xx"];
  return {
    requests,
    non2xx: result.non2xx,
    errors: result.errors,
    durationS: result.duration,
    latenciesMs,
  };
}

/** The q-quantile (0..1) of a sample, by nearest rank; sorts in place. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  values.sort((a, b) => a - b);
  const rank = Math.min(values.length - 1, Math.max(0, Math.ceil(q * values.length) - 1));
  return values[rank] ?? Number.NaN;
}
