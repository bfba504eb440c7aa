import { errorResponse } from "@/lib/errors";
import { readJsonBody } from "@/lib/http/body";
import { shuttingDown } from "@/lib/http/handler";
import { newRequestId } from "@/lib/http/request-id";
import { isDraining, trackCall } from "@/lib/lifecycle";
import { settleTokens } from "@/lib/limits/ratelimit";
import { logger } from "@/lib/log";
import { observeRejection } from "@/lib/observability/observe";
import { withUpstreamSpan } from "@/lib/observability/upstream";
import { getRuntime } from "@/lib/runtime";
import { estimateCompletionUsage } from "@/lib/tokens/count";
import { dropEarly } from "./admission";
import { admitCurrent } from "./admit";
import { runWithFallback } from "./attempts";
import { parseChatRequest } from "./chat-request";
import {
  type CallContext,
  recordFailedCall,
  routingHeaders,
  settleCall,
  toGatewayError,
  upstreamCall,
} from "./context";
import { openStream, streamResponse } from "./stream";

/**
 * `POST /v1/chat/completions`: authenticate, validate, pick the model chain, admit the call
 * against the rate limits, then try the chain's models until one answers, each attempt holding
 * its own budget reservation. Every failure answers in OpenAI's error shape with the request id.
 */
export async function handleChatCompletion(request: Request): Promise<Response> {
  const startedAt = performance.now();
  const requestId = newRequestId();
  if (isDraining()) return shuttingDown(requestId);
  const log = logger.child({ requestId });
  const headers: Record<string, string> = { "x-request-id": requestId };
  let ctx: CallContext | undefined;
  // At the shutdown deadline the call's provider request is aborted: it then settles for what
  // the client received instead of being lost with the process.
  const release = trackCall(() => ctx?.current?.upstream.abort());
  let streaming = false;
  try {
    const runtime = await getRuntime();
    const authorization = request.headers.get("authorization");
    const verified = await runtime.keys.verify(authorization);
    const chat = parseChatRequest(await readJsonBody(request, runtime.config.maxBodyBytes));
    const { principal, chain, limits, coolingDown, early } = await admitCurrent(
      runtime,
      authorization,
      verified,
      chat,
      log,
    );
    Object.assign(headers, limits.headers);
    ctx = {
      requestId,
      startedAt,
      log,
      runtime,
      principal,
      request: chat,
      chain,
      coolingDown,
      limits,
      client: request.signal,
      release,
      attempts: 0,
      fallbacks: [],
      early,
    };
    const call = ctx;

    if (chat.stream) {
      const { value: opened, attempt } = await runWithFallback(call, (a) => openStream(call, a));
      streaming = true; // the stream releases the call when it ends
      return streamResponse(call, attempt, opened, {
        ...headers,
        ...routingHeaders(call, attempt),
      });
    }

    const { value: result, attempt } = await runWithFallback(call, (a) =>
      withUpstreamSpan(upstreamCall(call, a, false), async (span) => {
        const answer = await a.adapter.complete(a.request, {
          upstreamModel: a.model.upstreamModel,
          signal: a.upstream.signal,
          maxOutputTokens: a.model.maxOutputTokens,
        });
        const u = answer.usage;
        span.end({
          outcome: "ok",
          status: 200,
          responseModel: answer.body.model,
          responseId: answer.body.id,
          finishReasons: answer.body.choices.map((c) => c.finish_reason),
          inputTokens: u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens,
          outputTokens: u.outputTokens,
        });
        return answer;
      }),
    );
    const reported =
      result.usage.inputTokens + result.usage.cacheReadTokens + result.usage.outputTokens > 0;
    // A real call always has prompt tokens: all zeros means the provider left usage out, so count.
    const usage = reported ? result.usage : estimateCompletionUsage(chat, result.body);
    settleCall(call, attempt, {
      usage,
      status: 200,
      outcome: "ok",
      estimated: !reported,
      streamed: false,
    });
    return Response.json(
      { ...result.body, model: attempt.model.id },
      { headers: { ...headers, ...routingHeaders(call, attempt) } },
    );
  } catch (err) {
    const error = toGatewayError(err);
    // A client that hung up while its stream was opening aborts the attempt: not a gateway fault.
    if (request.signal.aborted)
      log.info({ attempts: ctx?.attempts }, "client went away before the answer");
    else if (error.code === "internal_error") log.error({ err }, "unhandled error");
    else
      log.info(
        { status: error.status, code: error.code, attempts: ctx?.attempts },
        "request refused",
      );
    if (ctx) dropEarly(ctx.runtime, ctx.early, log);
    if (ctx && ctx.attempts > 0) recordFailedCall(ctx, error.status);
    else observeRejection(error.code);
    // No attempt answered: the tokens counted at admission are given back (the request stays
    // counted, as every admitted request does).
    if (ctx) void settleTokens(ctx.runtime.store, ctx.limits, 0).catch(() => {});
    return errorResponse(error, headers);
  } finally {
    if (!streaming) release();
  }
}
