const ENDPOINTS = [
  { method: "POST", path: "/v1/chat/completions", what: "OpenAI-compatible chat, streamed or not" },
  { method: "GET", path: "/v1/models", what: "the models your key's tier may call" },
  { method: "GET", path: "/v1/usage", what: "month-to-date spend, budget and tokens" },
];

/** The public API at a glance, for the landing page. */
export function EndpointList() {
  return (
    <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
      {ENDPOINTS.map((e) => (
        <li key={e.path} className="flex flex-wrap items-baseline gap-3 px-4 py-3">
          <span className="w-12 font-mono text-xs font-semibold text-indigo-600">{e.method}</span>
          <code className="font-mono text-sm">{e.path}</code>
          <span className="text-sm text-slate-500">{e.what}</span>
        </li>
      ))}
    </ul>
  );
}
