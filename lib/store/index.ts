import { Redis, type Requester } from "@upstash/redis";
import { GatewayError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { StoreUnavailableError } from "./errors";
import { createMemoryRequester } from "./memory";
import { createTcpRequester, type TcpRequester } from "./tcp";

export type OutagePolicy = "open" | "closed";

/**
 * The shared store behind limits and budgets, chosen once at start-up:
 * - `UPSTASH_REDIS_REST_URL` + `UPSTASH_REDIS_REST_TOKEN`: Upstash over REST (serverless hosts);
 * - `REDIS_URL=redis://…`: a Redis server over TCP (node-redis behind `@upstash/redis`);
 * - neither: in memory, for a single process.
 * All three are one `@upstash/redis` client, so everything above runs one code path.
 */
export interface Store {
  kind: "upstash" | "redis" | "memory";
  /** Key prefix of every key Tollgate writes, so several deployments can share a Redis. */
  prefix: string;
  primary: Redis;
  /** The per-process store that takes over in an outage when the policy is "open". */
  local: Redis;
  policy: OutagePolicy;
  /** False while the store is known to be unreachable. */
  healthy(): boolean;
  /** Told when a command found the store unreachable (REST has no connection to watch). */
  failed?(): void;
  close(): Promise<void>;
}

const redisOptions = { automaticDeserialization: false, enableTelemetry: false } as const;

/** How long a command to Upstash's REST API may take before the outage policy answers. */
const REST_TIMEOUT_MS = 2000;
/** After a failed REST command the policy answers at once for this long, then Upstash is retried. */
const REST_BACKOFF_MS = 5000;

/**
 * `@upstash/redis` over one of our requesters, with the same options as the REST client: its
 * constructor takes none with a requester, and its default JSON-parses every reply, throwing and
 * catching an exception for each string that is not JSON (a store key, an epoch): about 30 µs of
 * CPU per call in the benchmark's profile. Every caller reads replies as raw strings and numbers.
 */
export class RequesterRedis extends Redis {
  constructor(requester: Requester) {
    super(requester);
    this.opts = redisOptions;
  }
}

export function openStore(policy: OutagePolicy): Store {
  const prefix = process.env.TOLLGATE_STORE_PREFIX ?? "tg";
  const local = new RequesterRedis(createMemoryRequester());
  const restUrl = process.env.UPSTASH_REDIS_REST_URL;
  const restToken = process.env.UPSTASH_REDIS_REST_TOKEN;
  const tcpUrl = process.env.REDIS_URL;
  let store: Store;
  if (restUrl && restToken) {
    const primary = new Redis({
      url: restUrl,
      token: restToken,
      ...redisOptions,
      retry: false,
      // fetch has no timeout of its own: an Upstash that stops answering would hold every request.
      // A fresh signal per command (a function: a fixed one would be spent after its first use).
      signal: () => AbortSignal.timeout(REST_TIMEOUT_MS),
    });
    // Without this, each request of an outage would wait out the timeout before the policy answers.
    let downUntil = 0;
    store = {
      kind: "upstash",
      prefix,
      primary,
      local,
      policy,
      healthy: () => performance.now() >= downUntil,
      failed: () => {
        downUntil = performance.now() + REST_BACKOFF_MS;
      },
      close: async () => {},
    };
  } else if (tcpUrl) {
    const requester: TcpRequester = createTcpRequester(tcpUrl);
    const primary = new RequesterRedis(requester);
    store = {
      kind: "redis",
      prefix,
      primary,
      local,
      policy,
      healthy: requester.isReady,
      close: requester.close,
    };
  } else {
    store = {
      kind: "memory",
      prefix,
      primary: local,
      local,
      policy,
      healthy: () => true,
      close: async () => {},
    };
  }
  logger.info({ store: store.kind, prefix, onOutage: policy }, "store chosen");
  return store;
}

const outage = globalThis as unknown as {
  __tollgateStoreDown?: boolean;
  __tollgateStoreSwitches?: number;
};

/** How many times this process has switched to its local store since it started. */
export function storeSwitchCount(): number {
  return outage.__tollgateStoreSwitches ?? 0;
}

/**
 * Runs `work` against the shared store. When the store is unreachable, the outage policy answers
 * at once: "closed" refuses the request with 503; "open" runs `work` on the per-process store, so
 * each instance still enforces the limits alone. The switch and the recovery are logged once each.
 */
export async function withStore<T>(store: Store, work: (redis: Redis) => Promise<T>): Promise<T> {
  if (store.kind !== "memory" && store.healthy()) {
    try {
      const result = await work(store.primary);
      if (outage.__tollgateStoreDown) {
        outage.__tollgateStoreDown = false;
        logger.info({ store: store.kind }, "store reachable again: back on the shared store");
      }
      return result;
    } catch (err) {
      if (!isUnavailable(err)) throw err;
      store.failed?.();
    }
  } else if (store.kind === "memory") {
    return work(store.primary);
  }
  if (!outage.__tollgateStoreDown) {
    outage.__tollgateStoreDown = true;
    outage.__tollgateStoreSwitches = storeSwitchCount() + 1;
    logger.error(
      { store: store.kind, policy: store.policy },
      "store unreachable: applying the outage policy",
    );
  }
  if (store.policy === "closed") {
    throw new GatewayError(
      "store_unavailable",
      "Tollgate cannot reach its rate-limit store right now, and is configured to refuse requests until it is back. Retry in a few seconds.",
    );
  }
  return work(store.local);
}

function isUnavailable(err: unknown): boolean {
  if (err instanceof StoreUnavailableError) return true;
  // Upstash over REST: the fetch itself failed (DNS, connection refused, reset) or timed out.
  if (err instanceof DOMException && err.name === "TimeoutError") return true;
  return err instanceof TypeError && /fetch failed|network/i.test(err.message);
}
