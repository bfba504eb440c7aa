"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  ResponsiveContainer,
  Tooltip,
  type TooltipContentProps,
  XAxis,
  YAxis,
} from "recharts";
import type { NameType, ValueType } from "recharts/types/component/DefaultTooltipContent";
import {
  formatCount,
  formatDay,
  formatUsd,
  formatUsdAxis,
  formatUsdExact,
} from "@/lib/dashboard/format";

export interface DailyPoint {
  day: string;
  costNanoUsd: number;
  requests: number;
  tokens: number;
}

/**
 * Spend per UTC day as bars, with a tooltip giving the exact amount, calls and tokens. Screen
 * readers get the same numbers as a table.
 */
export function DailySpendChart({ data, label }: { data: DailyPoint[]; label: string }) {
  const total = data.reduce((s, d) => s + d.costNanoUsd, 0);
  return (
    <figure aria-label={label} data-testid="daily-spend-chart">
      <div className="h-64 w-full" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
            <CartesianGrid vertical={false} stroke="#f4f4f5" />
            <XAxis
              dataKey="day"
              tickFormatter={formatDay}
              tickLine={false}
              axisLine={false}
              fontSize={12}
              stroke="#71717a"
              minTickGap={24}
            />
            <YAxis
              tickFormatter={(v: number) => formatUsdAxis(v)}
              tickLine={false}
              axisLine={false}
              fontSize={12}
              stroke="#71717a"
              width={72}
            />
            <Tooltip content={DayTooltip} cursor={{ fill: "#f4f4f5" }} />
            <Bar
              dataKey="costNanoUsd"
              fill="#18181b"
              radius={[3, 3, 0, 0]}
              minPointSize={(value) => ((value ?? 0) > 0 ? 2 : 0)}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="sr-only">
        {label}: {formatUsd(total)} in total.
      </figcaption>
      <table className="sr-only">
        <caption>{label}</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Spend</th>
            <th scope="col">Requests</th>
          </tr>
        </thead>
        <tbody>
          {data
            .filter((d) => d.requests > 0)
            .map((d) => (
              <tr key={d.day} data-day={d.day}>
                <td>{formatDay(d.day)}</td>
                <td>{formatUsd(d.costNanoUsd)}</td>
                <td>{d.requests}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </figure>
  );
}

function DayTooltip({ active, payload }: TooltipContentProps<ValueType, NameType>) {
  const point = payload?.[0]?.payload as DailyPoint | undefined;
  if (!active || !point) return null;
  return (
    <div className="rounded-md border border-zinc-200 bg-white px-3 py-2 text-xs shadow-md">
      <p className="font-medium text-zinc-900">{formatDay(point.day)}</p>
      <p className="mt-1 text-zinc-700">{formatUsdExact(point.costNanoUsd)}</p>
      <p className="text-zinc-500">
        {formatCount(point.requests)} requests · {formatCount(point.tokens)} tokens
      </p>
    </div>
  );
}
