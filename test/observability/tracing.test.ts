import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { tracingEnabled } from "@/lib/observability/tracing";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai";
import { gatewayConfig } from "../helpers/configs";
import { startTollgate, type Tollgate } from "../helpers/tollgate";

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  name: string;
  attributes?: Array<{ key: string; value: OtlpValue }>;
}
interface OtlpExport {
  resourceSpans: Array<{
    resource: { attributes: Array<{ key: string; value: OtlpValue }> };
    scopeSpans: Array<{ spans: OtlpSpan[] }>;
  }>;
}

/** A stand-in OpenTelemetry collector: keeps what arrives at POST /v1/traces (OTLP/HTTP JSON). */
async function startCollector(): Promise<{ url: string; exports: OtlpExport[]; server: Server }> {
  const exports: OtlpExport[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on("end", () => {
      if (req.method === "POST" && req.url === "/v1/traces") {
        exports.push(JSON.parse(body) as OtlpExport);
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, exports, server };
}

describe("trace export", () => {
  test("is on only with an OTLP endpoint, and OTEL_SDK_DISABLED turns it off", () => {
    assert.equal(tracingEnabled({}), false);
    assert.equal(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }), true);
    assert.equal(
      tracingEnabled({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://c/v1/traces" }),
      true,
    );
    assert.equal(
      tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_SDK_DISABLED: "true" }),
      false,
    );
  });
});

describe("trace export on a running instance", () => {
  let fake: FakeOpenAI;
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let gateway: Tollgate;

  before(async () => {
    fake = await startFakeOpenAI();
    collector = await startCollector();
    gateway = await startTollgate(gatewayConfig({ openai: fake.url }), {
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_SERVICE_NAME: "tollgate-under-test",
      OTEL_BSP_SCHEDULE_DELAY: "100",
    });
  });
  after(async () => {
    await gateway?.stop();
    await fake?.close();
    collector?.server.close();
  });

  test("sends the request's spans over OTLP, and its log lines carry the trace id", async () => {
    const { key } = await gateway.createTenantWithKey("pro");
    const res = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }),
    });
    assert.equal(res.status, 200);
    const requestId = res.headers.get("x-request-id");
    // Shutdown exports whatever is still buffered.
    assert.equal(await gateway.terminate(), 0);

    const resources = collector.exports.flatMap((e) => e.resourceSpans);
    assert.ok(resources.length > 0, "the collector received spans");
    const serviceNames = resources.map(
      (r) => r.resource.attributes.find((a) => a.key === "service.name")?.value.stringValue,
    );
    assert.deepEqual([...new Set(serviceNames)], ["tollgate-under-test"]);

    const summary = gateway
      .output()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.msg === "chat completion" && line.requestId === requestId);
    assert.match(String(summary?.traceId), /^[0-9a-f]{32}$/);
    const spans = resources.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    const requestSpans = spans.filter((span) => span.traceId === summary?.traceId);
    assert.ok(
      requestSpans.some((span) => span.name.includes("/chat/completions")),
      `a span names the route: ${requestSpans.map((s) => s.name).join(", ")}`,
    );
  });
});
