import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-node";
import { metrics } from "@/lib/observability/metrics";
import { observeCall, observeRefusal, withStep } from "@/lib/observability/observe";
import { startUpstreamSpan, withUpstreamSpan } from "@/lib/observability/upstream";
import { parsePrometheus, sampleValue } from "../helpers/prometheus";

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const call = {
  providerId: "openai-main",
  providerKind: "openai",
  baseURL: "https://api.openai.example/v1",
  modelId: "gpt-4o",
  upstreamModel: "gpt-4o-2024-08-06",
  streamed: false,
  requestId: "req_0123",
  maxTokens: 100,
  temperature: 0.5,
};
const samples = async () => parsePrometheus(await metrics().registry.metrics());

describe("upstream spans and metrics, in process", () => {
  before(() => provider.register());
  after(() => provider.shutdown());

  test("an upstream call is a CLIENT span with the GenAI semantic-convention attributes", async () => {
    exporter.reset();
    const answer = await trace.getTracer("test").startActiveSpan("request", async (parent) => {
      const value = await withUpstreamSpan(call, async (span) => {
        span.end({
          outcome: "ok",
          status: 200,
          responseModel: "gpt-4o-2024-08-06",
          responseId: "chatcmpl-1",
          finishReasons: ["stop"],
          inputTokens: 12,
          outputTokens: 5,
        });
        return 42;
      });
      parent.end();
      return value;
    });
    assert.equal(answer, 42);

    const [span, parent] = exporter.getFinishedSpans();
    assert.ok(span && parent);
    assert.equal(span.name, "chat gpt-4o-2024-08-06");
    assert.equal(span.kind, SpanKind.CLIENT);
    assert.equal(span.parentSpanContext?.spanId, parent.spanContext().spanId);
    assert.equal(span.status.code, SpanStatusCode.UNSET);
    assert.deepEqual(span.attributes, {
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.system": "openai",
      "gen_ai.request.model": "gpt-4o-2024-08-06",
      "gen_ai.request.max_tokens": 100,
      "gen_ai.request.temperature": 0.5,
      "tollgate.provider.id": "openai-main",
      "tollgate.model.id": "gpt-4o",
      "tollgate.attempt": 1,
      "tollgate.streamed": false,
      "tollgate.request_id": "req_0123",
      "server.address": "api.openai.example",
      "server.port": 443,
      "gen_ai.response.model": "gpt-4o-2024-08-06",
      "gen_ai.response.id": "chatcmpl-1",
      "gen_ai.response.finish_reasons": ["stop"],
      "gen_ai.usage.input_tokens": 12,
      "gen_ai.usage.output_tokens": 5,
      "http.response.status_code": 200,
      "tollgate.outcome": "ok",
    });
    const labels = { provider: "openai-main", model: "gpt-4o", outcome: "ok" };
    const s = await samples();
    assert.equal(
      sampleValue(s, "tollgate_upstream_requests_total", { ...labels, status: "200" }),
      1,
    );
    assert.equal(sampleValue(s, "tollgate_upstream_duration_seconds_count", labels), 1);
  });

  test("a failed upstream call ends its span as an error with the provider's status", async () => {
    exporter.reset();
    const failure = Object.assign(new Error("Too many requests"), {
      status: 429,
      code: "rate_limit_exceeded",
    });
    await assert.rejects(
      withUpstreamSpan({ ...call, modelId: "gpt-4o-mini", attempt: 2 }, async () => {
        throw failure;
      }),
      failure,
    );
    const [span] = exporter.getFinishedSpans();
    assert.equal(span?.status.code, SpanStatusCode.ERROR);
    assert.equal(span?.attributes["error.type"], "rate_limit_exceeded");
    assert.equal(span?.attributes["http.response.status_code"], 429);
    assert.equal(span?.attributes["tollgate.attempt"], 2);
    const s = await samples();
    const labels = { provider: "openai-main", model: "gpt-4o-mini", outcome: "error" };
    assert.equal(
      sampleValue(s, "tollgate_upstream_requests_total", { ...labels, status: "429" }),
      1,
    );
  });

  test("a streamed call marks its first chunk and counts once however often it is ended", async () => {
    exporter.reset();
    const span = startUpstreamSpan({ ...call, modelId: "claude", providerKind: "anthropic" });
    span.firstChunk();
    span.end({ outcome: "client_disconnected", status: 200, outputTokens: 3 });
    span.end({ outcome: "ok", status: 200 });
    const [finished] = exporter.getFinishedSpans();
    assert.deepEqual(
      finished?.events.map((e) => e.name),
      ["gen_ai.first_chunk"],
    );
    assert.equal(finished?.attributes["gen_ai.provider.name"], "anthropic");
    const s = await samples();
    const labels = { provider: "openai-main", model: "claude" };
    assert.equal(
      sampleValue(s, "tollgate_upstream_requests_total", {
        ...labels,
        outcome: "client_disconnected",
        status: "200",
      }),
      1,
    );
    assert.equal(
      sampleValue(s, "tollgate_upstream_requests_total", {
        ...labels,
        outcome: "ok",
        status: "200",
      }),
      undefined,
    );
  });

  test("observeCall counts a fallback, time to first token, tokens and spend", async () => {
    observeCall({
      tier: "enterprise",
      modelRequested: "gpt-4o",
      modelServed: "claude-haiku",
      provider: "anthropic",
      outcome: "ok",
      status: 200,
      latencyMs: 1500,
      ttftMs: 300,
      inputTokens: 100,
      cacheReadTokens: 20,
      cacheWriteTokens: 0,
      outputTokens: 50,
      costNanoUsd: 281_600,
      fallbacks: 1,
    });
    observeRefusal("budget", "tenant");
    observeRefusal("rate_limit", "key");
    observeRefusal("rate_limit", "key");
    const s = await samples();
    const served = { tier: "enterprise", model: "claude-haiku", provider: "anthropic" };
    assert.equal(sampleValue(s, "tollgate_requests_total", { ...served, outcome: "ok" }), 1);
    assert.equal(
      sampleValue(s, "tollgate_request_duration_seconds_bucket", {
        ...served,
        outcome: "ok",
        le: "1",
      }),
      0,
    );
    assert.equal(
      sampleValue(s, "tollgate_request_duration_seconds_sum", { ...served, outcome: "ok" }),
      1.5,
    );
    assert.equal(sampleValue(s, "tollgate_time_to_first_token_seconds_sum", served), 0.3);
    assert.equal(
      sampleValue(s, "tollgate_fallbacks_total", {
        tier: "enterprise",
        model_requested: "gpt-4o",
        model_served: "claude-haiku",
      }),
      1,
    );
    const byModel = { tier: "enterprise", model: "claude-haiku" };
    assert.equal(sampleValue(s, "tollgate_spend_nano_usd_total", byModel), 281_600);
    assert.equal(sampleValue(s, "tollgate_tokens_total", { ...byModel, kind: "cache_read" }), 20);
    assert.equal(
      sampleValue(s, "tollgate_tokens_total", { ...byModel, kind: "cache_write" }),
      undefined,
    );
    assert.equal(sampleValue(s, "tollgate_refusals_total", { kind: "budget", scope: "tenant" }), 1);
    assert.equal(
      sampleValue(s, "tollgate_refusals_total", { kind: "rate_limit", scope: "key" }),
      2,
    );
  });

  test("withStep times a step as a histogram and a child span", async () => {
    exporter.reset();
    assert.equal(await withStep("authenticate", async () => "principal"), "principal");
    await assert.rejects(
      withStep("authenticate", async () => {
        throw new Error("bad key");
      }),
    );
    const spans = exporter.getFinishedSpans();
    assert.deepEqual(
      spans.map((span) => [span.name, span.status.code]),
      [
        ["tollgate.authenticate", SpanStatusCode.UNSET],
        ["tollgate.authenticate", SpanStatusCode.ERROR],
      ],
    );
    const s = await samples();
    assert.equal(
      sampleValue(s, "tollgate_step_duration_seconds_count", { step: "authenticate" }),
      2,
    );
  });
});
