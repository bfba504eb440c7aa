/**
 * The framework's floor: what a user writes instead of a gateway — take the body, send it to the
 * provider, hand the answer back as it streams. Nothing is parsed, checked or recorded.
 */
const upstream = `${process.env.BENCH_UPSTREAM_URL ?? "http://127.0.0.1:9"}/v1/chat/completions`;

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const answer = await fetch(upstream, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: request.headers.get("authorization") ?? "",
    },
    body: await request.text(),
    signal: request.signal,
  });
  return new Response(answer.body, {
    status: answer.status,
    headers: { "content-type": answer.headers.get("content-type") ?? "application/json" },
  });
}
