import { decode, encode } from "gpt-tokenizer";
import type { ChatCompletion, ChatCompletionChunk } from "openai/resources/chat/completions";
import { countTextTokens, estimatePromptTokens } from "@/lib/tokens/count";
import type { ChatRequest, NormalizedUsage, ProviderAdapter, StreamEvent } from "./types";

/**
 * The offline provider behind the quick start: deterministic answers, computed locally, that say
 * where they come from. Token counts use the same tokenizer as the estimates, so spend is real.
 */
export function createDemoAdapter(): ProviderAdapter {
  return {
    async complete(request, options) {
      const { text, finish } = demoAnswer(request);
      const usage = demoUsage(request, text);
      const body: ChatCompletion = {
        id: `chatcmpl-demo-${Date.now().toString(36)}`,
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model: options.upstreamModel,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: text, refusal: null },
            finish_reason: finish,
            logprobs: null,
          },
        ],
        usage: {
          prompt_tokens: usage.inputTokens,
          completion_tokens: usage.outputTokens,
          total_tokens: usage.inputTokens + usage.outputTokens,
        },
      };
      return { body, usage };
    },

    async *stream(request, options): AsyncIterable<StreamEvent> {
      const { text, finish } = demoAnswer(request);
      const id = `chatcmpl-demo-${Date.now().toString(36)}`;
      const created = Math.floor(Date.now() / 1000);
      const chunk = (
        delta: ChatCompletionChunk.Choice.Delta,
        finish: ChatCompletionChunk.Choice["finish_reason"] = null,
      ): StreamEvent => ({
        type: "chunk",
        chunk: {
          id,
          object: "chat.completion.chunk",
          created,
          model: options.upstreamModel,
          choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
        },
      });
      yield chunk({ role: "assistant", content: "" });
      for (const word of text.match(/\S+\s*/g) ?? []) {
        if (options.signal.aborted) return;
        yield chunk({ content: word });
      }
      yield chunk({}, finish);
      yield { type: "usage", usage: demoUsage(request, text), final: true };
    },
  };
}

/** The demo's answer, cut to the request's output limit like a real model's (finish "length"). */
function demoAnswer(request: ChatRequest): { text: string; finish: "stop" | "length" } {
  const lastUser = [...request.messages].reverse().find((m) => m.role === "user");
  const said =
    typeof lastUser?.content === "string"
      ? lastUser.content
      : (lastUser?.content ?? [])
          .map((part) => (part.type === "text" ? part.text : `[${part.type}]`))
          .join(" ");
  const quoted = said.length > 200 ? `${said.slice(0, 200)}…` : said;
  const full = `This answer comes from Tollgate's built-in demo provider, not a real model. You said: "${quoted}". Configure an OpenAI, Anthropic or Ollama provider in tollgate.config.yaml for real answers.`;
  const limit = request.max_completion_tokens ?? request.max_tokens;
  const tokens = encode(full);
  if (!limit || tokens.length <= limit) return { text: full, finish: "stop" };
  return { text: decode(tokens.slice(0, limit)), finish: "length" };
}

function demoUsage(request: ChatRequest, text: string): NormalizedUsage {
  return {
    inputTokens: estimatePromptTokens(request),
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: countTextTokens(text),
  };
}
