import { apiHandler } from "@/lib/http/handler";
import { checkReadiness } from "@/lib/observability/health";

export const dynamic = "force-dynamic";

/**
 * Readiness: 200 when the database answers with every migration applied and the shared store
 * answers; 503 otherwise, and while the instance drains for shutdown. Why a check failed goes to
 * the log, not the answer: this route is usually reachable without credentials.
 */
export const GET = apiHandler(async (_request, { runtime, log }) => {
  const { ok, database, store } = await checkReadiness(runtime);
  if (!ok) log.warn({ database, store }, "not ready");
  return Response.json(
    {
      status: ok ? "ready" : "unavailable",
      database: {
        ok: database.ok,
        kind: database.kind,
        latencyMs: database.latencyMs,
        migrations: database.migrations,
      },
      store: { ok: store.ok, kind: store.store, latencyMs: store.latencyMs },
    },
    { status: ok ? 200 : 503 },
  );
});
