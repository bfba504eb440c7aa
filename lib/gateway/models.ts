import type { HandlerContext } from "@/lib/http/handler";
import { tierModels } from "@/lib/routing/resolve";

/** Seconds; OpenAI's list carries a creation time, which for configured models is the start-up. */
const LISTED_AT = Math.floor(Date.now() / 1000);

/** `GET /v1/models`: the models the key's tier may call, in OpenAI's list format. */
export async function listModels(request: Request, { runtime }: HandlerContext): Promise<Response> {
  const principal = await runtime.keys.verify(request.headers.get("authorization"));
  const data = tierModels(runtime.config, principal.tier).map((model) => ({
    id: model.id,
    object: "model" as const,
    created: LISTED_AT,
    owned_by: model.providerId,
  }));
  return Response.json({ object: "list", data });
}
