import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { UpstashRequest } from "@upstash/redis";
import { createTcpRequester } from "@/lib/store/tcp";

/**
 * Upstash's Redis REST API in front of the machine's Redis, as `@upstash/redis` speaks it: POST /
 * with one command as a JSON array, /pipeline and /multi-exec with an array of commands; a Bearer
 * token; `{result}` or `{error}` answers, strings base64-encoded when the client sends
 * `Upstash-Encoding: base64`. Commands reach Redis through the gateway's own TCP requester, which
 * already does what Upstash's servers do and Redis 7.0 does not (the ratelimit scripts' shebang).
 * `mode` turns it unreachable ("down": connections refused) or silent ("hang": never answers).
 */
export interface FakeUpstash {
  url: string;
  token: string;
  /** Commands received (a pipeline counts once). */
  requests: number;
  mode: "up" | "hang" | "down";
  close(): Promise<void>;
}

function encode(value: unknown): unknown {
  if (typeof value === "string")
    return value === "OK" ? value : Buffer.from(value).toString("base64");
  if (Array.isArray(value)) return value.map(encode);
  return value;
}

async function body(req: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return JSON.parse(Buffer.concat(parts).toString("utf8"));
}

export async function startFakeUpstash(redisUrl: string): Promise<FakeUpstash> {
  const redis = createTcpRequester(redisUrl);
  const deadline = Date.now() + 5000;
  while (!redis.isReady() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const token = "upstash-test-token";
  const held: ServerResponse[] = [];

  const reply = (res: ServerResponse, status: number, payload: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(payload));
  };

  const server = createServer(async (req, res) => {
    if (fake.mode === "hang") return void held.push(res);
    if (req.headers.authorization !== `Bearer ${token}`) {
      return reply(res, 401, { error: "Unauthorized" });
    }
    const base64 = req.headers["upstash-encoding"] === "base64";
    const path = (req.url ?? "/").split("/").filter(Boolean);
    const request: UpstashRequest = { path, body: await body(req) };
    fake.requests++;
    const answer = await redis.request<unknown>(request);
    if (Array.isArray(answer)) {
      const each = answer as Array<{ result?: unknown; error?: string }>;
      return reply(res, 200, base64 ? each.map((a) => ({ ...a, result: encode(a.result) })) : each);
    }
    // A failed single command is a 400 with its Redis error, as Upstash answers.
    if (answer.error) return reply(res, 400, { error: answer.error });
    reply(res, 200, { result: base64 ? encode(answer.result) : answer.result });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeUpstash = {
    url: `http://127.0.0.1:${port}`,
    token,
    requests: 0,
    mode: "up",
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await redis.close();
    },
  };
  // "down": refuse connections by closing the listener; "up" again listens on the same port.
  let mode: FakeUpstash["mode"] = "up";
  Object.defineProperty(fake, "mode", {
    get: () => mode,
    set: (next: FakeUpstash["mode"]) => {
      if (next === "down" && mode !== "down") {
        server.close();
        server.closeAllConnections();
      }
      if (next !== "down" && mode === "down") server.listen(port, "127.0.0.1");
      mode = next;
    },
  });
  return fake;
}
