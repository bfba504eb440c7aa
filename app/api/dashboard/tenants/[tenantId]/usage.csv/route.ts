import { tenantRoute } from "@/lib/auth/route";
import { usageCsvStream } from "@/lib/dashboard/csv";
import { requestFilters, resolveRange } from "@/lib/dashboard/requests";
import { GatewayError } from "@/lib/errors";

export const dynamic = "force-dynamic";

/** The selected range of the usage page as CSV: the same filters, every matching call. */
export const GET = tenantRoute(undefined, async (request, { runtime }, { tenantId }) => {
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = requestFilters.safeParse(query);
  if (!parsed.success) {
    throw new GatewayError("invalid_request", "Invalid filters: use from/to as YYYY-MM-DD.");
  }
  await runtime.usage.flush();
  const range = resolveRange(parsed.data);
  return new Response(usageCsvStream(runtime.database.db, tenantId, range, parsed.data), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="tollgate-usage-${range.from}-to-${range.to}.csv"`,
      "cache-control": "no-store",
    },
  });
});
