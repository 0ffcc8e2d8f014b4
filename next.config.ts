import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";
import { API_CONTENT_SECURITY_POLICY, FIXED_SECURITY_HEADERS } from "./lib/security/headers";

// next-intl finds each request's messages and settings through this file (lib/i18n/request.ts).
const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // PGlite ships a wasm build; bundling it would copy the wasm under /_next/static for anyone to download.
  serverExternalPackages: ["@electric-sql/pglite"],
  // Headers that need no request: here they reach every response, static files and ingestion included.
  // The pages' CSP carries a per-request nonce and HSTS depends on the runtime PUBLIC_URL: proxy.ts sets those.
  async headers() {
    return [
      { source: "/:path*", headers: [...FIXED_SECURITY_HEADERS] },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }] },
      // Next's own files do not pass through proxy.ts (no nonce to give them): the API's policy, which allows nothing.
      {
        source: "/_next/static/:path*",
        headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }],
      },
    ];
  },
};

export default withNextIntl(nextConfig);
