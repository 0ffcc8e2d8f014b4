import { createTranslator } from "next-intl";
import { DEFAULT_LOCALE, LOCALE_INFO, pageOf } from "@/lib/i18n/locales";
import { loadMessages } from "@/lib/i18n/messages";
import { hasAdminToken } from "@/lib/security/admin-token";
import { bearerToken } from "@/lib/security/secrets";
import type { Config } from "@/lib/config";
import { toErrorResponse } from "@/lib/http";
import { describeError } from "@/lib/security/log";
import { addressKey } from "./address-key";
import { exhausted, limiterFor, overBudget, spend, type Verdict } from "./budget";
import { clientAddress } from "./client-address";
import { log } from "@/lib/observability/log";

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
  // The admin web UI counts as the admin API: the operator shares its budget and lockout, and is never stopped
  // by the public page budget while working through a long moderation queue.
  if (pathname === "/api/admin" || pathname.startsWith("/api/admin/") || isAdminPage(pathname)) return "admin";
  if (pathname === "/api" || pathname.startsWith("/api/")) return "api";
  return "page";
}

/** The admin web UI's paths (app/admin): outside the languages' pages, English only. */
export function isAdminPage(pathname: string): boolean {
  return pathname === "/admin" || pathname.startsWith("/admin/");
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
      return verdict.allowed ? null : await limitedPage(verdict.retryAfter, pathname);
    }
    if (door === "api") {
      const verdict = await spend(budget("api", limits.API_RATE_PER_MINUTE), key);
      return refusal(verdict, `more than ${limits.API_RATE_PER_MINUTE} API calls a minute came from your address`);
    }
    const refused = await guardAdmin(request, key, limits, budget);
    return refused && isAdminPage(pathname) ? asText(refused) : refused;
  } catch (error) {
    log().error({ error: describeError(error, { stack: false }) }, "rate limits: counting failed, request let through");
    return null;
  }
}

type BudgetOf = (name: string, points: number, seconds?: number) => ReturnType<typeof limiterFor>;

// The one count of wrong admin tokens per address, whether they came as a bearer token or through the sign-in form.
const failuresBudget = (budget: BudgetOf, limits: Limits) =>
  budget("admin-failures", limits.ADMIN_FAILURES_PER_HOUR, 3600);

const lockedOut = (limits: Limits) =>
  `more than ${limits.ADMIN_FAILURES_PER_HOUR} wrong admin tokens in an hour came from your address`;

/**
 * Counts a wrong admin token given to the sign-in form of the web UI against the same lockout as the admin API's
 * wrong bearer tokens: null while the address may still try, or the 429 once it may not.
 */
export async function countAdminFailure(request: Request, limits: Limits): Promise<Response | null> {
  const key = addressKey(clientAddress(request.headers, limits));
  const counted = await spend(
    failuresBudget((name, points, seconds = 60) => limiterFor({ name, points, seconds }, limits.REDIS_URL), limits),
    key,
  );
  const refused = refusal(counted, lockedOut(limits));
  return refused && (await asText(refused));
}

async function guardAdmin(request: Request, key: string, limits: Limits, budget: BudgetOf): Promise<Response | null> {
  const failures = failuresBudget(budget, limits);
  // An address that guessed wrong too often is refused even with the right token: otherwise a 401 against
  // anything else would still tell a guesser when it found the token.
  const blocked = await exhausted(failures, key);
  const tooMany = lockedOut(limits);
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

/** An admin page's refusal: the same sentence, as text a browser shows as it is rather than as JSON. */
async function asText(refused: Response): Promise<Response> {
  const { detail } = (await refused.json()) as { detail: string };
  const headers = new Headers(refused.headers);
  headers.set("Content-Type", "text/plain; charset=utf-8");
  headers.set("Cache-Control", "no-store");
  return new Response(`${detail}\n`, { status: refused.status, headers });
}

function refusal(verdict: Verdict, why: string): Response | null {
  if (verdict.allowed) return null;
  return toErrorResponse(
    overBudget(verdict.retryAfter, `Too many requests: ${why}. Retry in ${verdict.retryAfter} s.`),
  );
}

/**
 * A page view over the limit: a plain page, in the language of the page asked for, that says what happened and
 * when to come back. Rendered here rather than by Next: the proxy answers before any route runs.
 */
export async function limitedPage(retryAfter: number, pathname: string): Promise<Response> {
  const locale = pageOf(pathname)?.locale ?? DEFAULT_LOCALE;
  const { tag, dir } = LOCALE_INFO[locale];
  const t = createTranslator({ locale, messages: await loadMessages(locale), namespace: "Limited" });
  // Our own translations and a number: nothing here comes from the visitor, so no escaping is needed.
  const wait = t.markup("wait", {
    seconds: retryAfter,
    strong: (chunks) => `<strong>${chunks}</strong>`,
    reload: (chunks) => `<a href="">${chunks}</a>`,
  });
  const html = `<!doctype html>
<html lang="${tag}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${t("title")} — Numbox</title>
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
<h1>${t("title")}</h1>
<p>${t("body")}</p>
<p>${wait}</p>
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
