import { pageOf } from "@/lib/i18n/locales";
import { parseNumberParam } from "@/lib/inbox/params";
import type { Scope } from "./response-cache";

/**
 * The public GET answers that are the same for every visitor and change only when a message arrives or the
 * operator edits something, with what they show: the inbox page and the read API's messages of one number, or
 * the lists (home, country pages, the service pages and feeds, the number and country lists, the gateway docs). Their HTML and the payloads
 * Next's router fetches for them alike. Anything else — the stream, wait, admin, ingestion — is rendered for
 * each request.
 *
 * A page in another language (`/ru/numbers/…`) shows what its English page shows, so it has the same scope: a
 * message makes every language's copy stale at once. Each is its own URL, so each is its own entry. "/en/…" is
 * only ever a redirect to the unprefixed URL, rendered per request.
 */
export function cacheScopeOf(pathname: string): Scope | null {
  if (pathname === "/api/v1/numbers" || pathname === "/api/v1/countries") return { kind: "lists" };
  // A service's feeds are its page's latest messages across the numbers: stale when any message arrives.
  if (/^\/api\/v1\/services\/[^/]+\/feed\.(?:rss|atom|json)$/.test(pathname)) return { kind: "lists" };
  const api = /^\/api\/v1\/numbers\/([^/]+)\/messages$/.exec(pathname);
  if (api) return inboxScope(api[1]!);
  const page = pageOf(pathname)?.path;
  if (page === undefined) return null;
  if (page === "/" || page === "/docs/gateways" || /^\/countries\/[a-z]{2}$/.test(page)) return { kind: "lists" };
  // A service's page and the list of services count every number's messages: any arrival changes them.
  if (page === "/services" || /^\/services\/[^/]+$/.test(page)) return { kind: "lists" };
  const inbox = /^\/numbers\/([^/]+)$/.exec(page);
  return inbox ? inboxScope(inbox[1]!) : null;
}

function inboxScope(param: string): Scope | null {
  const number = parseNumberParam(param);
  return number ? { kind: "inbox", number } : null;
}

// Headers with which Next's router asks for a page's React Server Components payload instead of its HTML
// (client-side navigations and prefetches). Next names them in its Vary header: they are part of the key.
const ROUTER_HEADERS = [
  "rsc",
  "next-router-state-tree",
  "next-router-prefetch",
  "next-router-segment-prefetch",
] as const;

/**
 * The key an answer is kept under: the request target, and the router headers that choose between the HTML and
 * the payloads of a client navigation. Null when the request must be rendered for itself: not a GET or HEAD, or
 * a server action.
 */
export function cacheKeyOf(
  method: string | undefined,
  url: string,
  headers: Record<string, string | string[] | undefined>,
): string | null {
  if ((method !== "GET" && method !== "HEAD") || headers["next-action"] !== undefined) return null;
  let key = url;
  for (const name of ROUTER_HEADERS) {
    const value = headers[name];
    if (value !== undefined) key += `\n${name}: ${String(value)}`;
  }
  return key;
}
