import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The container image runs `node server.js` from a self-contained folder with only the files the
  // server needs (Dockerfile); `next start`, used by npm start and the tests, needs the usual build.
  output: process.env.TOLLGATE_STANDALONE === "1" ? "standalone" : undefined,
  // Read from the working directory at run time rather than imported, so the file tracer cannot
  // see them: listed here, they ship in the standalone folder and in serverless function bundles.
  outputFileTracingIncludes: { "/**": ["./tollgate.config.yaml", "./db/migrations/**/*"] },
  // Native, WASM or worker-based packages are loaded from node_modules at run time, not bundled.
  // prom-client and the OpenTelemetry SDK keep process-wide state, so one copy must serve all
  // route bundles.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "postgres",
    "pino",
    "gpt-tokenizer",
    "@pydantic/genai-prices",
    "undici",
    "prom-client",
    "@opentelemetry/api",
    "@opentelemetry/sdk-trace-node",
    "@opentelemetry/exporter-trace-otlp-http",
    "@opentelemetry/resources",
    "@opentelemetry/semantic-conventions",
  ],
  // Compression costs CPU on every response of a gateway; a proxy in front can do it if wanted.
  compress: false,
  poweredByHeader: false,
  // `npm test` type-checks the whole project with tsc first; the build need not do it again.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
