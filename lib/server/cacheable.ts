import { parseNumberParam } from "@/lib/inbox/params";
import type { Scope } from "./response-cache";

/**
 * The public GET answers that are the same for every visitor and change only when a message arrives or the
 * operator edits something, with what they show: the inbox page and the read API's messages of one number, or
 * the lists (home, country pages, the number and country lists, the gateway docs). Their HTML and the payloads
 * Next's router fetches for them alike. Anything else — the stream, wait, admin, ingestion — is rendered for
 * each request.
 */
export function cacheScopeOf(pathname: string): Scope | null {
  if (
    pathname === "/" ||
    pathname === "/docs/gateways" ||
    pathname === "/api/v1/numbers" ||
    pathname === "/api/v1/countries"
  ) {
    return { kind: "lists" };
  }
  if (/^\/countries\/[a-z]{2}$/.test(pathname)) return { kind: "lists" };
  const inbox = /^\/numbers\/([^/]+)$/.exec(pathname) ?? /^\/api\/v1\/numbers\/([^/]+)\/messages$/.exec(pathname);
  const number = inbox && parseNumberParam(inbox[1]!);
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
