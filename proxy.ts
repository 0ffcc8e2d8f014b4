import { NextRequest, NextResponse } from "next/server";
import createMiddleware from "next-intl/middleware";
import { config as numboxConfig } from "@/lib/config";
import { routing } from "@/lib/i18n/routing";
import { doorOf, guardDoor } from "@/lib/limits/doors";
import { requestSecurity } from "@/lib/security/headers";

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
  const headers = new Headers(request.headers);
  // Set, never appended: a client-sent CSP or x-nonce request header must not choose the nonce.
  for (const [name, value] of Object.entries(security.request)) headers.set(name, value);
  if (doorOf(pathname) !== "page") return secured(NextResponse.next({ request: { headers } }), security.response);
  const routed = localize(new NextRequest(request, { headers }));
  // A redirect ("/en/…" → "/…") renders nothing either.
  return secured(routed, routed.headers.has("location") ? security.answered : security.response);
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
