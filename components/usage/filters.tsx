import Link from "next/link";
import { buttonPrimary, buttonSecondary, input, label } from "@/components/ui/styles";
import type { DayRange } from "@/lib/dashboard/aggregates";
import type { RequestFilters } from "@/lib/dashboard/requests";

/** The query string for a set of filters, leaving out empty ones. */
export function filterQuery(f: RequestFilters & Partial<DayRange>, page?: number): string {
  const params = new URLSearchParams();
  for (const name of ["from", "to", "key", "model", "status"] as const) {
    const value = f[name];
    if (value) params.set(name, value);
  }
  if (page) params.set("page", String(page));
  const text = params.toString();
  return text ? `?${text}` : "";
}

/**
 * Range and filters as a plain GET form: it works before any JavaScript has loaded, and the URL
 * is shareable. Presets set the range in one click.
 */
export function UsageFilters({
  range,
  filters,
  keys,
  models,
  presets,
  csvHref,
}: {
  range: DayRange;
  filters: RequestFilters;
  keys: Array<{ id: string; name: string }>;
  models: string[];
  presets: Array<{ label: string; range: DayRange }>;
  csvHref: string;
}) {
  return (
    <div className="space-y-4">
      <nav aria-label="Date range presets" className="flex flex-wrap gap-2">
        {presets.map((p) => {
          const active = p.range.from === range.from && p.range.to === range.to;
          return (
            <Link
              key={p.label}
              href={`/dashboard/usage${filterQuery({ ...filters, ...p.range, page: undefined })}`}
              aria-current={active ? "true" : undefined}
              className={`rounded-full border px-3 py-1 text-sm ${
                active
                  ? "border-zinc-900 bg-zinc-900 text-white"
                  : "border-zinc-300 bg-white text-zinc-700 hover:border-zinc-400"
              }`}
            >
              {p.label}
            </Link>
          );
        })}
      </nav>
      <form
        method="get"
        action="/dashboard/usage"
        aria-label="Usage filters"
        className="grid items-end gap-3 sm:grid-cols-3 lg:grid-cols-6"
      >
        <Field id="from" text="From">
          <input id="from" name="from" type="date" defaultValue={range.from} className={input} />
        </Field>
        <Field id="to" text="To">
          <input id="to" name="to" type="date" defaultValue={range.to} className={input} />
        </Field>
        <Field id="key" text="Key">
          <select id="key" name="key" defaultValue={filters.key ?? ""} className={input}>
            <option value="">All keys</option>
            {keys.map((k) => (
              <option key={k.id} value={k.id}>
                {k.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="model" text="Model">
          <select id="model" name="model" defaultValue={filters.model ?? ""} className={input}>
            <option value="">All models</option>
            {models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </Field>
        <Field id="status" text="Status">
          <select id="status" name="status" defaultValue={filters.status ?? ""} className={input}>
            <option value="">Any status</option>
            <option value="ok">Succeeded</option>
            <option value="error">Failed</option>
          </select>
        </Field>
        <div className="flex gap-2 whitespace-nowrap">
          <button type="submit" className={buttonPrimary}>
            Apply
          </button>
          <a href={csvHref} className={buttonSecondary} download>
            Export CSV
          </a>
        </div>
      </form>
    </div>
  );
}

function Field({ id, text, children }: { id: string; text: string; children: React.ReactNode }) {
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className={label}>
        {text}
      </label>
      {children}
    </div>
  );
}
