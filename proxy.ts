import { NextRequest, NextResponse } from "next/server";
import createMiddleware from "next-intl/middleware";
import { DEFAULT_PUBLIC_URL, config as numboxConfig } from "@/lib/config";
import { routing } from "@/lib/i18n/routing";
import { doorOf, guardDoor, isAdminPage } from "@/lib/limits/doors";
import { canonicalPath } from "@/lib/seo/redirects";
import { isSeoFile } from "@/lib/seo/urls";
import { requestSecurity } from "@/lib/security/headers";
import { isSafeMethod, isSameOrigin } from "@/lib/security/origin";

// next-intl's middleware: maps a page's URL onto app/[locale] ("/numbers/1" → English, "/ru/numbers/1" →
// Russian) and redirects "/en/…" to the unprefixed URL. It never picks a language for the visitor
// (lib/i18n/routing.ts).
const localize = createMiddleware(routing);

/**
 * Runs before every route except ingestion (see `config.matcher`). Security: a fresh CSP nonce per request —
 * Next reads it from the request's Content-Security-Policy header and puts it on its own scripts — and HSTS
 * when PUBLIC_URL is https (lib/security/headers.ts). A response this proxy answers itself (a limit, say) gets
 * `security.answered` through `secured`: Next renders nothing, so no script of ours carries the nonce. Pages —
 * and only pages: never the API, static files or the gateway scripts — then go through next-intl's routing,
 * given the request with the nonce already in it, so that its rewrite hands Next both.
 */
export async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  const security = requestSecurity(pathname, {
    publicUrl: numboxConfig().PUBLIC_URL,
    dev: process.env.NODE_ENV === "development",
  });
  // Per-address budgets for pages, the read API and the admin API (lib/limits/doors.ts): a 429 or nothing.
  const limited = await guardDoor(request, pathname, numboxConfig());
  if (limited)
    return secured(
      new NextResponse(limited.body, { status: limited.status, headers: limited.headers }),
      security.answered,
    );
  // The admin web UI: every state-changing request must come from one of our pages (CSRF), and nothing of it is
  // ever kept by a cache or shown by a search engine.
  if (isAdminPage(pathname)) {
    if (!isSafeMethod(request.method) && !sameOrigin(request))
      return secured(crossOrigin(), { ...security.answered, ...ADMIN_PAGE_HEADERS });
    const headers = new Headers(request.headers);
    for (const [name, value] of Object.entries(security.request)) headers.set(name, value);
    return secured(NextResponse.next({ request: { headers } }), { ...security.response, ...ADMIN_PAGE_HEADERS });
  }
  const headers = new Headers(request.headers);
  // Set, never appended: a client-sent CSP or x-nonce request header must not choose the nonce.
  for (const [name, value] of Object.entries(security.request)) headers.set(name, value);
  // The sitemap's files and the card images are pages' kin (same budget) but no page: no language routing.
  if (doorOf(pathname) !== "page" || isSeoFile(pathname)) {
    return secured(NextResponse.next({ request: { headers } }), security.response);
  }
  // One address per page (lib/seo/redirects.ts): "/en/…", "/countries/UZ", "/numbers/%2B998…" move for good.
  const canonical = canonicalPath(pathname);
  if (canonical !== null) return secured(permanentRedirect(request, canonical), security.answered);
  const routed = localize(new NextRequest(request, { headers }));
  // A redirect renders nothing either (next-intl's own would be for a path canonicalPath already moved).
  return secured(routed, routed.headers.has("location") ? security.answered : security.response);
}

/**
 * A 308 to a path of this site, with the query kept. Next writes the Location relative to the request's own
 * address (proxies must give it absolute), so the redirect never sends anyone to a host a request header named.
 */
function permanentRedirect(request: NextRequest, path: string): NextResponse {
  return NextResponse.redirect(new URL(path + request.nextUrl.search, request.url), 308);
}

// Referrer-Policy: the site's "no-referrer" makes a browser send `Origin: null` with a page's own form posts (the
// Fetch standard), which the Origin check must refuse; "same-origin" keeps the real Origin for our own requests
// and still tells other sites nothing.
const ADMIN_PAGE_HEADERS = {
  "Cache-Control": "no-store",
  "X-Robots-Tag": "noindex, nofollow",
  "Referrer-Policy": "same-origin",
};

function sameOrigin(request: NextRequest): boolean {
  const publicUrl = numboxConfig().PUBLIC_URL;
  return isSameOrigin({
    origin: request.headers.get("origin"),
    host: request.headers.get("host"),
    publicUrl,
    publicUrlIsDefault: publicUrl === DEFAULT_PUBLIC_URL,
  });
}

/** A state-changing admin request from a page of another site (or from no page at all): refused, said plainly. */
function crossOrigin(): NextResponse {
  return new NextResponse(
    "Refused: this admin request did not come from a page of this site (its Origin header is missing or another site's).\n",
    { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8" } },
  );
}

function secured(response: NextResponse, headers: Record<string, string>): NextResponse {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Everything but the ingestion route: with a proxy in front, Next buffers a request body (up to 10 MB) before
  // the route sees it, and ingestion must enforce its own, smaller body limit while reading, on the raw bytes.
  // Providers and modems are not browsers: HSTS means nothing to them, and next.config.ts still sets nosniff
  // and the API's CSP there.
  // Nor Next's own static files: they are the same for everyone, need no nonce and no per-IP page budget, and a
  // proxy pass per chunk served them at a quarter of plain Next's speed; next.config.ts gives them nosniff.
  matcher: ["/((?!api/inbound/|_next/static/).*)"],
};
