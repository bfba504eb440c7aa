import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import {
  type CallOptions,
  type ChatRequest,
  type NormalizedUsage,
  type ProviderAdapter,
  type StreamEvent,
  UpstreamError,
} from "@/lib/providers/types";
import type { Attempt } from "./context";

/** A provider stream being read: what is left of it, and the latest usage it reported. */
export interface UpstreamReading {
  /** The provider's events in the groups they arrived in. */
  batches: AsyncIterator<StreamEvent[]>;
  usage: NormalizedUsage | null;
  finalUsage: boolean;
}

/**
 * Bounds each wait for the provider's next event. Provider SDKs only time out until the response
 * headers, so a stream that stalls after them would otherwise hang its client forever. One timer
 * per stream, pushed back at each wait (a timer and a promise race per event cost the benchmark
 * measurably); it only runs while the gateway is waiting, so a slow client is never cut.
 */
export class Watchdog {
  private readonly timer: NodeJS.Timeout;
  private waiting = false;
  fired = false;

  constructor(
    private readonly attempt: Attempt,
    readonly ms: number,
  ) {
    this.timer = setTimeout(() => {
      if (!this.waiting) return;
      this.fired = true;
      attempt.upstream.abort();
    }, ms);
  }

  /** `next`, settled as it settles; a rejection after the timer fired is the timeout. */
  wait<T>(next: Promise<T>): Promise<T> {
    if (!this.waiting) {
      this.waiting = true;
      this.timer.refresh();
    }
    // Plain callbacks rather than an async function: one promise less per provider read.
    return next.then(
      (value) => {
        this.waiting = false;
        return value;
      },
      (err: unknown) => {
        this.waiting = false;
        if (!this.fired) throw err;
        const provider = this.attempt.model.providerId;
        throw new UpstreamError({
          status: 504,
          providerId: provider,
          code: "upstream_timeout",
          message: `Upstream provider "${provider}" sent nothing for ${this.ms} ms.`,
        });
      },
    );
  }

  stop(): void {
    this.waiting = false;
    clearTimeout(this.timer);
  }
}

/** The adapter's events in the groups they arrived in; one event a group when it cannot group. */
export function batchesOf(
  adapter: ProviderAdapter,
  request: ChatRequest,
  options: CallOptions,
): AsyncIterator<StreamEvent[]> {
  if (adapter.streamBatches) return adapter.streamBatches(request, options)[Symbol.asyncIterator]();
  const events = adapter.stream(request, options)[Symbol.asyncIterator]();
  return {
    async next() {
      const next = await events.next();
      return next.done ? { done: true, value: undefined } : { done: false, value: [next.value] };
    },
    async return() {
      await events.return?.();
      return { done: true, value: undefined };
    },
  };
}

/**
 * Pulls groups of events until one holds chunks, keeping the latest usage; null at the end of
 * the stream. The chunks of one group go to the client together, as they arrived together.
 */
export async function nextChunks(
  opened: UpstreamReading,
  watchdog: Watchdog,
): Promise<ChatCompletionChunk[] | null> {
  for (;;) {
    const next = await watchdog.wait(opened.batches.next());
    if (next.done) return null;
    const chunks: ChatCompletionChunk[] = [];
    for (const event of next.value) {
      if (event.type === "chunk") chunks.push(event.chunk);
      else {
        opened.usage = event.usage;
        opened.finalUsage = event.final;
      }
    }
    if (chunks.length > 0) return chunks;
  }
}
