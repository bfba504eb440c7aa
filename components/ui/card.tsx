import type { ReactNode } from "react";

/** A white panel with an optional title row; the building block of every dashboard page. */
export function Card({
  title,
  description,
  action,
  children,
  className = "",
  labelledBy,
}: {
  title?: string;
  description?: ReactNode;
  action?: ReactNode;
  children: ReactNode;
  className?: string;
  labelledBy?: string;
}) {
  const headingId = labelledBy ?? (title ? `card-${title.toLowerCase().replace(/\W+/g, "-")}` : "");
  return (
    <section
      aria-labelledby={title ? headingId : undefined}
      className={`rounded-lg border border-zinc-200 bg-white shadow-sm ${className}`}
    >
      {title ? (
        <div className="flex flex-wrap items-start justify-between gap-3 border-b border-zinc-100 px-5 py-4">
          <div>
            <h2 id={headingId} className="text-sm font-semibold text-zinc-900">
              {title}
            </h2>
            {description ? <p className="mt-1 text-sm text-zinc-500">{description}</p> : null}
          </div>
          {action}
        </div>
      ) : null}
      <div className="px-5 py-4">{children}</div>
    </section>
  );
}

/** A page's title row. */
export function PageHeader({
  title,
  description,
  action,
}: {
  title: string;
  description?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-zinc-900">{title}</h1>
        {description ? <p className="mt-1 text-sm text-zinc-500">{description}</p> : null}
      </div>
      {action}
    </div>
  );
}
