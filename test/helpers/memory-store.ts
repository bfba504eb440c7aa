import { RequesterRedis, type Store } from "@/lib/store";
import { createMemoryRequester } from "@/lib/store/memory";

/** A store of the test's own in process memory, as the gateway runs without Redis. */
export function memoryStore(prefix = "tgtest"): Store {
  const redis = new RequesterRedis(createMemoryRequester());
  return {
    kind: "memory",
    prefix,
    primary: redis,
    local: redis,
    policy: "open",
    healthy: () => true,
    close: async () => {},
  };
}
