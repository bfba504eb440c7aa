// The same handlers as /api/v1/usage, mounted at /v1 (see app/v1/chat/completions/route.ts).
export { DELETE, GET, PATCH, POST, PUT } from "@/app/api/v1/usage/route";

export const dynamic = "force-dynamic";
