import { EndpointList } from "@/components/endpoint-list";

export default function Home() {
  return (
    <main className="mx-auto max-w-2xl px-6 py-16">
      <h1 className="text-3xl font-semibold tracking-tight">Tollgate</h1>
      <p className="mt-3 text-slate-600">
        An OpenAI-compatible gateway in front of OpenAI, Anthropic and Ollama, with per-tenant keys,
        usage and exact cost. Point the official <code className="font-mono">openai</code> client at{" "}
        <code className="font-mono">/v1</code> of this server with a Tollgate key.
      </p>
      <div className="mt-6 flex gap-3">
        <a
          href="/signup"
          className="rounded-md bg-zinc-900 px-4 py-2 text-sm font-medium text-white hover:bg-zinc-700"
        >
          Create a workspace
        </a>
        <a
          href="/signin"
          className="rounded-md border border-zinc-300 px-4 py-2 text-sm font-medium hover:bg-zinc-100"
        >
          Sign in
        </a>
      </div>
      <h2 className="mt-10 text-lg font-medium">API</h2>
      <div className="mt-3">
        <EndpointList />
      </div>
    </main>
  );
}
