import Link from "next/link";
import { EmptyState } from "@/components/ui/states";
import { formatCount, formatTime, formatUsd, formatUsdExact } from "@/lib/dashboard/format";
import type { RequestRow } from "@/lib/dashboard/requests";

/** One page of calls with what a developer asks first: what was asked, what answered, cost. */
export function RequestTable({
  rows,
  page,
  hasMore,
  pageHref,
}: {
  rows: RequestRow[];
  page: number;
  hasMore: boolean;
  pageHref: (page: number) => string;
}) {
  if (rows.length === 0) {
    return (
      <EmptyState title="No requests match">
        Widen the date range or clear the filters. Calls appear here within a second.
      </EmptyState>
    );
  }
  const th = "px-3 py-2 font-medium";
  return (
    <>
      <div className="-mx-5 overflow-x-auto">
        <table className="min-w-full text-left text-sm" data-testid="requests-table">
          <caption className="sr-only">Recent requests, newest first</caption>
          <thead className="border-b border-zinc-200 text-xs uppercase tracking-wide text-zinc-500">
            <tr>
              <th scope="col" className={`${th} pl-5`}>
                Time
              </th>
              <th scope="col" className={th}>
                Key
              </th>
              <th scope="col" className={th}>
                Model asked → served
              </th>
              <th scope="col" className={`${th} text-right`}>
                Tokens in / out
              </th>
              <th scope="col" className={`${th} text-right`}>
                Cost
              </th>
              <th scope="col" className={`${th} text-right`}>
                Latency
              </th>
              <th scope="col" className={`${th} pr-5`}>
                Status
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {rows.map((r) => (
              <tr key={r.id}>
                <td className="whitespace-nowrap px-3 py-2 pl-5 text-zinc-600">
                  {formatTime(r.createdAt)}
                </td>
                <td className="px-3 py-2">{r.keyName ?? r.keyId}</td>
                <td className="px-3 py-2 font-mono text-xs">
                  {r.modelRequested}
                  {r.fellBack ? (
                    <>
                      {" → "}
                      {r.modelServed}{" "}
                      <span className="rounded bg-amber-100 px-1 py-0.5 font-sans text-amber-800">
                        fallback
                      </span>
                    </>
                  ) : null}
                </td>
                <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">
                  {formatCount(r.inputTokens)} / {formatCount(r.outputTokens)}
                </td>
                <td
                  className="px-3 py-2 text-right tabular-nums"
                  title={formatUsdExact(r.costNanoUsd)}
                >
                  {formatUsd(r.costNanoUsd)}
                </td>
                <td className="px-3 py-2 text-right tabular-nums">{formatCount(r.latencyMs)} ms</td>
                <td className="px-3 py-2 pr-5">
                  <span
                    className={`rounded px-1.5 py-0.5 text-xs font-medium ${
                      r.status < 400 ? "bg-emerald-50 text-emerald-700" : "bg-red-50 text-red-700"
                    }`}
                  >
                    {r.status}
                  </span>
                  {r.outcome !== "ok" && r.outcome !== "error" ? (
                    <span className="ml-1 text-xs text-zinc-500">
                      {r.outcome.replace(/_/g, " ")}
                    </span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav aria-label="Pages" className="mt-4 flex items-center justify-between text-sm">
        <span className="text-zinc-500">Page {page + 1}</span>
        <div className="flex gap-2">
          {page > 0 ? (
            <Link
              href={pageHref(page - 1)}
              className="rounded-md border border-zinc-300 px-3 py-1.5"
            >
              Newer
            </Link>
          ) : null}
          {hasMore ? (
            <Link
              href={pageHref(page + 1)}
              className="rounded-md border border-zinc-300 px-3 py-1.5"
            >
              Older
            </Link>
          ) : null}
        </div>
      </nav>
    </>
  );
}
