import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // PGlite ships a wasm build; bundling it would copy the wasm under /_next/static for anyone to download.
  serverExternalPackages: ["@electric-sql/pglite"],
};

export default nextConfig;
