// The same handlers as /api/v1/models, mounted at /v1 (see app/v1/chat/completions/route.ts).
export { DELETE, GET, PATCH, POST, PUT } from "@/app/api/v1/models/route";

export const dynamic = "force-dynamic";
