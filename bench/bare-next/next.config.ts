import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Built output goes under the repo's ignored .tmp/ so neither git nor the linter sees it.
  distDir: "../../.tmp/bench-bare-next",
  // The same response settings as Tollgate's own config, so the floor is measured like for like.
  compress: false,
  poweredByHeader: false,
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
