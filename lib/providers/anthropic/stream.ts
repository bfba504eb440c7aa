import type { RawMessageStreamEvent } from "@anthropic-ai/sdk/resources/messages";
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import type { NormalizedUsage, StreamEvent } from "../types";
import { UpstreamError } from "../types";
import { type FinishReason, normalizeUsage, toCompletionId, toFinishReason } from "./response";

type Delta = ChatCompletionChunk.Choice.Delta;

/** A tool_use block being streamed, keyed by Anthropic's block index. */
interface OpenToolCall {
  /** 0-based position among this message's tool calls: OpenAI's `tool_calls[].index`. */
  index: number;
  /** Input Anthropic put in content_block_start; normally `{}` with the real input in deltas. */
  startInput: unknown;
  sawDelta: boolean;
}

interface Header {
  id: string;
  model: string;
  created: number;
}

function hasKeys(value: unknown): boolean {
  return typeof value === "object" && value !== null && Object.keys(value).length > 0;
}

/**
 * Translates Anthropic stream events into OpenAI chunks and usage events. Ping and unknown event
 * types are skipped so new Anthropic event types do not break streaming.
 */
export async function* translateStream(
  events: AsyncIterable<RawMessageStreamEvent>,
  providerId: string,
): AsyncGenerator<StreamEvent> {
  let header: Header | undefined;
  let usage: NormalizedUsage | undefined;
  let finished = false;
  const toolCalls = new Map<number, OpenToolCall>();

  const fail = (message: string): UpstreamError =>
    new UpstreamError({
      status: 502,
      providerId,
      message: `Upstream provider "${providerId}" sent a malformed stream: ${message}`,
    });
  const chunk = (delta: Delta, finishReason: FinishReason | null = null): StreamEvent => {
    if (!header) throw fail("content arrived before message_start");
    const choice = { index: 0, delta, finish_reason: finishReason, logprobs: null };
    return {
      type: "chunk",
      chunk: { ...header, object: "chat.completion.chunk", choices: [choice] },
    };
  };

  for await (const event of events) {
    switch (event.type) {
      case "message_start": {
        const { message } = event;
        header = {
          id: toCompletionId(message.id),
          model: message.model,
          created: Math.floor(Date.now() / 1000),
        };
        usage = normalizeUsage(message.usage);
        yield chunk({ role: "assistant", content: "" });
        yield { type: "usage", usage, final: false };
        break;
      }
      case "content_block_start": {
        const block = event.content_block;
        if (block.type === "text" && block.text !== "") yield chunk({ content: block.text });
        if (block.type !== "tool_use") break;
        const index = toolCalls.size;
        toolCalls.set(event.index, { index, startInput: block.input, sawDelta: false });
        const fn = { name: block.name, arguments: "" };
        yield chunk({ tool_calls: [{ index, id: block.id, type: "function", function: fn }] });
        break;
      }
      case "content_block_delta": {
        const { delta } = event;
        if (delta.type === "text_delta" && delta.text !== "") yield chunk({ content: delta.text });
        // Deltas of blocks that are not client tool calls (server tools) have no OpenAI form.
        const call = toolCalls.get(event.index);
        if (delta.type !== "input_json_delta" || !call || delta.partial_json === "") break;
        call.sawDelta = true;
        const fn = { arguments: delta.partial_json };
        yield chunk({ tool_calls: [{ index: call.index, function: fn }] });
        break;
      }
      case "content_block_stop": {
        // Anthropic-compatible servers may send the whole tool input in content_block_start
        // instead of as deltas; it is forwarded once the block is complete.
        const call = toolCalls.get(event.index);
        if (call && !call.sawDelta && hasKeys(call.startInput)) {
          const fn = { arguments: JSON.stringify(call.startInput) };
          yield chunk({ tool_calls: [{ index: call.index, function: fn }] });
        }
        break;
      }
      case "message_delta": {
        // message_delta usage is cumulative. It always carries output tokens and may carry input
        // and cache counts too (they grow when server tools run more model turns); those win.
        const last = usage ?? normalizeUsage({ output_tokens: 0 });
        const next = event.usage;
        usage = {
          inputTokens: next.input_tokens ?? last.inputTokens,
          cacheReadTokens: next.cache_read_input_tokens ?? last.cacheReadTokens,
          cacheWriteTokens: next.cache_creation_input_tokens ?? last.cacheWriteTokens,
          outputTokens: next.output_tokens,
        };
        finished = true;
        yield chunk({}, toFinishReason(event.delta.stop_reason));
        yield { type: "usage", usage, final: true };
        break;
      }
      default:
        // message_stop ends the stream; ping and event types added later carry nothing to forward.
        break;
    }
  }
  // A stream that closes before message_delta lost its ending; the client must not take the
  // partial answer for a complete one.
  if (!finished) throw fail("the stream ended before the message was complete");
}
