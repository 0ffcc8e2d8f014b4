import { hasAdminToken } from "@/lib/security/admin-token";
import { bearerToken } from "@/lib/security/secrets";
import type { Config } from "@/lib/config";
import { toErrorResponse } from "@/lib/http";
import { describeError } from "@/lib/security/log";
import { addressKey } from "./address-key";
import { exhausted, limiterFor, overBudget, spend, type Verdict } from "./budget";
import { clientAddress } from "./client-address";

/**
 * The public doors with a per-address request budget, applied in proxy.ts before any route runs. Ingestion has
 * its own per-gateway budget (a provider posts for many numbers from few addresses), and static files are free:
 * a page's own scripts, styles and icons must never be what limits a reader.
 */
export type Door = "page" | "api" | "admin";

// Root-level files (icon.svg, robots.txt, favicon.ico…) and the downloadable gateway scripts.
const STATIC_FILE = /^\/[^/]+\.(svg|ico|png|jpe?g|gif|webp|avif|txt|xml|webmanifest|json|js|css|map|woff2?)$/i;

export function doorOf(pathname: string): Door | null {
  if (pathname.startsWith("/_next/") || pathname.startsWith("/gateway/") || STATIC_FILE.test(pathname)) return null;
  if (pathname === "/api/inbound" || pathname.startsWith("/api/inbound/")) return null;
  if (pathname === "/api/admin" || pathname.startsWith("/api/admin/")) return "admin";
  if (pathname === "/api" || pathname.startsWith("/api/")) return "api";
  return "page";
}

export type Limits = Pick<
  Config,
  | "TRUST_PROXY"
  | "TRUSTED_PROXIES"
  | "REDIS_URL"
  | "ADMIN_TOKEN"
  | "PAGE_RATE_PER_MINUTE"
  | "API_RATE_PER_MINUTE"
  | "ADMIN_RATE_PER_MINUTE"
  | "ADMIN_FAILURES_PER_HOUR"
>;

/**
 * Counts the request against its door's budget for the client's address: null to let it through, or the 429 to
 * answer (JSON for the API, a short HTML page for pages). A failure of the limiter itself lets the request
 * through: a visitor is never refused because our counting broke.
 */
export async function guardDoor(request: Request, pathname: string, limits: Limits): Promise<Response | null> {
  const door = doorOf(pathname);
  if (!door) return null;
  const key = addressKey(clientAddress(request.headers, limits));
  const budget = (name: string, points: number, seconds = 60) =>
    limiterFor({ name, points, seconds }, limits.REDIS_URL);
  try {
    if (door === "page") {
      const verdict = await spend(budget("page", limits.PAGE_RATE_PER_MINUTE), key);
      return verdict.allowed ? null : limitedPage(verdict.retryAfter);
    }
    if (door === "api") {
      const verdict = await spend(budget("api", limits.API_RATE_PER_MINUTE), key);
      return refusal(verdict, `more than ${limits.API_RATE_PER_MINUTE} API calls a minute came from your address`);
    }
    return await guardAdmin(request, key, limits, budget);
  } catch (error) {
    console.error("rate limits: counting failed, request let through:", describeError(error, { stack: false }));
    return null;
  }
}

async function guardAdmin(
  request: Request,
  key: string,
  limits: Limits,
  budget: (name: string, points: number, seconds?: number) => ReturnType<typeof limiterFor>,
): Promise<Response | null> {
  const failures = budget("admin-failures", limits.ADMIN_FAILURES_PER_HOUR, 3600);
  // An address that guessed wrong too often is refused even with the right token: otherwise a 401 against
  // anything else would still tell a guesser when it found the token.
  const blocked = await exhausted(failures, key);
  const tooMany = `more than ${limits.ADMIN_FAILURES_PER_HOUR} wrong admin tokens in an hour came from your address`;
  if (!blocked.allowed) return refusal(blocked, tooMany);
  const verdict = await spend(budget("admin", limits.ADMIN_RATE_PER_MINUTE), key);
  if (!verdict.allowed)
    return refusal(verdict, `more than ${limits.ADMIN_RATE_PER_MINUTE} admin calls a minute came from your address`);
  // The route answers the 401 itself; here a wrong token is only counted. With no ADMIN_TOKEN set there is
  // nothing to guess (the route answers 403 admin_disabled).
  if (limits.ADMIN_TOKEN && isWrongGuess(request, limits.ADMIN_TOKEN)) {
    const counted = await spend(failures, key);
    if (!counted.allowed) return refusal(counted, tooMany);
  }
  return null;
}

/**
 * Only a request that presents a bearer token, and the wrong one, is a guess. Any web page can make the operator's
 * browser send admin requests without a token (a form post, an image) and CORS preflights (OPTIONS, which never
 * carry credentials and are answered alike whatever they carry): were those counted, a page on another origin
 * could lock the operator's own address out for an hour. A page cannot add an Authorization header to a
 * cross-origin request without a preflight that the admin API never grants.
 */
function isWrongGuess(request: Request, adminToken: string): boolean {
  if (request.method === "OPTIONS") return false;
  const authorization = request.headers.get("authorization");
  return bearerToken(authorization) !== null && !hasAdminToken(authorization, adminToken);
}

function refusal(verdict: Verdict, why: string): Response | null {
  if (verdict.allowed) return null;
  return toErrorResponse(
    overBudget(verdict.retryAfter, `Too many requests: ${why}. Retry in ${verdict.retryAfter} s.`),
  );
}

/** A page view over the limit: a plain page that says what happened and when to come back. */
export function limitedPage(retryAfter: number): Response {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Slow down a little — Numbox</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; padding: 3rem 1.25rem; color: #1f2937; background: #f9fafb; }
  main { max-width: 32rem; margin: 0 auto; }
  h1 { font-size: 1.5rem; margin: 0 0 .75rem; }
  a { color: #4338ca; }
  @media (prefers-color-scheme: dark) { body { color: #e5e7eb; background: #111827; } a { color: #a5b4fc; } }
</style>
</head>
<body>
<main>
<h1>Slow down a little</h1>
<p>So many pages were opened from your address in the last minute that we paused it, to keep the site fast for everyone.</p>
<p>Please wait <strong>${retryAfter} seconds</strong>, then <a href="">reload this page</a>. An inbox you already have open keeps updating by itself.</p>
</main>
</body>
</html>
`;
  return new Response(html, {
    status: 429,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Retry-After": String(retryAfter),
    },
  });
}
