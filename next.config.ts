import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native, WASM or worker-based packages are loaded from node_modules at run time, not bundled.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "postgres",
    "pino",
    "gpt-tokenizer",
    "@pydantic/genai-prices",
  ],
  // Compression costs CPU on every response of a gateway; a proxy in front can do it if wanted.
  compress: false,
  poweredByHeader: false,
  async rewrites() {
    // OPENAI_BASE_URL=http://host:3000/v1 works as-is: /v1/* is served by the /api/v1 handlers.
    return [{ source: "/v1/:path*", destination: "/api/v1/:path*" }];
  },
};

export default nextConfig;
