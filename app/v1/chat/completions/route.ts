// OpenAI clients call /v1/… (base URL http://host/v1). The same handlers as /api/v1/…, mounted here
// rather than reached through a rewrite: the rewrite cost Next.js about 0.25 ms of routing per call
// in the benchmark (bench/notes.md). The segment config must be a literal in each route file.
export { DELETE, GET, PATCH, POST, PUT } from "@/app/api/v1/chat/completions/route";

export const dynamic = "force-dynamic";
