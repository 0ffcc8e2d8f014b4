import { parseNumberParam } from "@/lib/inbox/params";
import type { Scope } from "./response-cache";

/**
 * The public GET answers that are the same for every visitor and change only when a message arrives or the
 * operator edits something, with what they show: the inbox page and the read API's messages of one number, or
 * the lists (home, country pages, the number and country lists, the gateway docs).
 * Anything else — the stream, wait, admin, ingestion, Next's own client-navigation (RSC) requests — is
 * rendered for each request as before.
 */
export function cacheScopeOf(pathname: string): Scope | null {
  if (pathname === "/" || pathname === "/docs/gateways" || pathname === "/api/v1/numbers" || pathname === "/api/v1/countries") {
    return { kind: "lists" };
  }
  if (/^\/countries\/[a-z]{2}$/.test(pathname)) return { kind: "lists" };
  const inbox = /^\/numbers\/([^/]+)$/.exec(pathname) ?? /^\/api\/v1\/numbers\/([^/]+)\/messages$/.exec(pathname);
  const number = inbox && parseNumberParam(inbox[1]!);
  return number ? { kind: "inbox", number } : null;
}

// Headers with which Next asks for a page's React Server Components payload instead of its HTML (client-side
// navigation and prefetches): such answers depend on the client's router state and are never kept.
const RSC_REQUEST_HEADERS = ["rsc", "next-router-state-tree", "next-router-prefetch", "next-router-segment-prefetch", "next-action"];

/** Whether a request asks for the one answer every visitor gets (not a client navigation's payload). */
export function isPlainRequest(method: string | undefined, headers: Record<string, unknown>, search: string): boolean {
  if (method !== "GET" && method !== "HEAD") return false;
  if (RSC_REQUEST_HEADERS.some((name) => headers[name] !== undefined)) return false;
  return !/(^|[?&])_rsc=/.test(search);
}
