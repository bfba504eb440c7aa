import { errorResponse } from "@/lib/errors";
import { readJsonBody } from "@/lib/http/body";
import { newRequestId } from "@/lib/http/request-id";
import { trackCall } from "@/lib/lifecycle";
import { logger } from "@/lib/log";
import { resolveModel } from "@/lib/routing/resolve";
import { getRuntime } from "@/lib/runtime";
import { estimateCompletionUsage } from "@/lib/tokens/count";
import { admitCall, settleAdmission } from "./admission";
import { parseChatRequest } from "./chat-request";
import { type CallContext, settleCall, toGatewayError, ZERO_USAGE } from "./context";
import { streamCompletion } from "./stream";

/**
 * `POST /v1/chat/completions`: authenticate, validate, resolve the model, call its provider and
 * account for the call. Every failure answers in OpenAI's error shape with the request id.
 */
export async function handleChatCompletion(request: Request): Promise<Response> {
  const startedAt = performance.now();
  const requestId = newRequestId();
  const log = logger.child({ requestId });
  const headers: Record<string, string> = { "x-request-id": requestId };
  let ctx: CallContext | undefined;
  const release = trackCall();
  let streaming = false;
  try {
    const runtime = await getRuntime();
    const principal = await runtime.keys.verify(request.headers.get("authorization"));
    const chat = parseChatRequest(await readJsonBody(request, runtime.config.maxBodyBytes));
    const model = resolveModel(runtime.config, principal.tier, chat.model);
    const adapter = runtime.adapters.get(model.providerId);
    if (!adapter) throw new Error(`no adapter for provider ${model.providerId}`);
    const admission = await admitCall(runtime, principal, chat, model);
    Object.assign(headers, admission.headers);
    const upstream = new AbortController();
    request.signal.addEventListener("abort", () => upstream.abort(), { once: true });
    ctx = {
      requestId,
      startedAt,
      log,
      runtime,
      principal,
      request: chat,
      model,
      adapter,
      upstream,
      client: request.signal,
      release,
      admission,
    };
    headers["x-tollgate-model"] = model.id;

    if (chat.stream) {
      const response = await streamCompletion(ctx, headers);
      streaming = true; // the stream releases the call when it ends
      return response;
    }

    const result = await adapter.complete(chat, {
      upstreamModel: model.upstreamModel,
      signal: upstream.signal,
      maxOutputTokens: model.maxOutputTokens,
    });
    const reported =
      result.usage.inputTokens + result.usage.cacheReadTokens + result.usage.outputTokens > 0;
    // A real call always has prompt tokens: all zeros means the provider left usage out, so count.
    const usage = reported ? result.usage : estimateCompletionUsage(chat, result.body);
    settleCall(ctx, { usage, status: 200, outcome: "ok", estimated: !reported, streamed: false });
    return Response.json({ ...result.body, model: model.id }, { headers });
  } catch (err) {
    const error = toGatewayError(err);
    if (error.code === "internal_error") log.error({ err }, "unhandled error");
    if (ctx && error.code === "unsupported_parameter") {
      settleAdmission(ctx.runtime, ctx.admission, ZERO_USAGE, log);
    } else if (ctx) {
      settleCall(ctx, {
        usage: ZERO_USAGE,
        status: error.status,
        outcome: "error",
        estimated: false,
        streamed: Boolean(ctx.request.stream),
      });
    } else {
      log.info({ status: error.status, code: error.code }, "request refused");
    }
    return errorResponse(error, headers);
  } finally {
    if (!streaming) release();
  }
}
