import { pageOf } from "@/lib/i18n/locales";

// Paths with a variable segment, as the route patterns the metrics name them by. The site's pages under a
// language prefix count as the same page: a label per language would multiply every series by ten.
const PATTERNS: [RegExp, string][] = [
  [
    /^\/api\/v1\/numbers\/[^/]+\/(messages|stream|wait|reports|feed\.rss|feed\.atom|feed\.json)$/,
    "/api/v1/numbers/{number}/$1",
  ],
  [/^\/api\/v1\/services\/[^/]+\/(feed\.rss|feed\.atom|feed\.json)$/, "/api/v1/services/{service}/$1"],
  [/^\/api\/inbound\/[^/]+\/heartbeat$/, "/api/inbound/{gateway}/heartbeat"],
  [/^\/api\/inbound\/[^/]+$/, "/api/inbound/{gateway}"],
  [/^\/api\/admin\/gateways\/[^/]+\/rotate$/, "/api/admin/gateways/{id}/rotate"],
  [/^\/api\/admin\/(numbers|messages|redactions)\/[^/]+$/, "/api/admin/$1/{id}"],
  [/^\/numbers\/[^/]+$/, "/numbers/{number}"],
  [/^\/countries\/[^/]+$/, "/countries/{code}"],
  [/^\/services\/[^/]+$/, "/services/{service}"],
  [/^\/og\/.*$/, "/og/{card}"],
  [/^\/sitemaps\/[^/]+$/, "/sitemaps/{file}"],
  [/^\/_next\/.*$/, "/_next/{asset}"],
];

// Paths that are their own pattern: anything else is "other" (a scanner's guesses must not become series).
const FIXED = new Set([
  "/",
  "/api/v1/countries",
  "/api/v1/numbers",
  "/api/v1/openapi.json",
  "/api/mcp",
  "/api/admin/gateways",
  "/api/admin/numbers",
  "/api/admin/redactions",
  "/api/admin/quarantine",
  "/api/admin/reports",
  "/api/admin/purge",
  "/docs/gateways",
  "/docs/api",
  "/services",
  "/sitemap.xml",
  "/robots.txt",
  "/icon.svg",
  "/favicon.ico",
  "/readyz",
  "/metrics",
]);

/** The route pattern a request path is counted under in the metrics: bounded whatever clients send. */
export function routeOf(pathname: string): string {
  const path = pageOf(pathname)?.path ?? pathname;
  const bare = path.length > 1 ? path.replace(/\/+$/, "") : path;
  if (FIXED.has(bare)) return bare;
  for (const [pattern, route] of PATTERNS) if (pattern.test(bare)) return bare.replace(pattern, route);
  return "other";
}
