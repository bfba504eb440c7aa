import { sql } from "drizzle-orm";
import { apiHandler } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

/** Readiness: config loaded, database reachable and migrated (the runtime opens only after both). */
export const GET = apiHandler(async (_request, { runtime }) => {
  await runtime.database.db.execute(sql`select 1`);
  return Response.json({ status: "ready", database: runtime.database.kind });
});
