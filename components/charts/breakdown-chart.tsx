"use client";

import {
  Bar,
  BarChart,
  ResponsiveContainer,
  Tooltip,
  type TooltipContentProps,
  XAxis,
  YAxis,
} from "recharts";
import type { NameType, ValueType } from "recharts/types/component/DefaultTooltipContent";
import { formatCount, formatUsd, formatUsdExact } from "@/lib/dashboard/format";

export interface BreakdownRow {
  name: string;
  costNanoUsd: number;
  requests: number;
  tokens: number;
}

/** Spend per model or per key as horizontal bars, biggest first, with a table for screen readers. */
export function BreakdownChart({ data, label }: { data: BreakdownRow[]; label: string }) {
  const rows = data.slice(0, 10);
  return (
    <figure aria-label={label}>
      <div
        style={{ height: Math.max(120, rows.length * 36) }}
        className="w-full"
        aria-hidden="true"
      >
        <ResponsiveContainer width="100%" height="100%">
          <BarChart
            data={rows}
            layout="vertical"
            margin={{ top: 0, right: 16, bottom: 0, left: 8 }}
          >
            <XAxis type="number" hide />
            <YAxis
              type="category"
              dataKey="name"
              width={130}
              tickLine={false}
              axisLine={false}
              fontSize={12}
              stroke="#52525b"
            />
            <Tooltip content={RowTooltip} cursor={{ fill: "#f4f4f5" }} />
            <Bar
              dataKey="costNanoUsd"
              fill="#6366f1"
              maxBarSize={24}
              radius={[0, 3, 3, 0]}
              minPointSize={(value) => ((value ?? 0) > 0 ? 2 : 0)}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table className="sr-only">
        <caption>{label}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Spend</th>
            <th scope="col">Requests</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name}>
              <td>{r.name}</td>
              <td>{formatUsd(r.costNanoUsd)}</td>
              <td>{r.requests}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

function RowTooltip({ active, payload }: TooltipContentProps<ValueType, NameType>) {
  const row = payload?.[0]?.payload as BreakdownRow | undefined;
  if (!active || !row) return null;
  return (
    <div className="rounded-md border border-zinc-200 bg-white px-3 py-2 text-xs shadow-md">
      <p className="font-medium text-zinc-900">{row.name}</p>
      <p className="mt-1 text-zinc-700">{formatUsdExact(row.costNanoUsd)}</p>
      <p className="text-zinc-500">
        {formatCount(row.requests)} requests · {formatCount(row.tokens)} tokens
      </p>
    </div>
  );
}
