import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Cross-origin reads of the public API: a tester's browser tool, a page on another site, may read what anyone can
 * read with curl — the countries, numbers and messages, the live stream, wait, the feeds, the API's description,
 * and the MCP server (a browser-based agent or MCP inspector), which is read-only and takes no credentials either.
 * `Access-Control-Allow-Origin: *` and never credentials: Numbox has no cookies or sessions on these routes, and
 * `*` is what keeps a browser from sending any.
 *
 * Never on ingestion (gateways are not browsers), the admin API (a page on another origin must not be able to
 * drive it with a token it got hold of) or reports (a write: another site must not file them in its visitors'
 * names). Those answer as before: no CORS header, so a browser keeps their answers from other origins' scripts.
 *
 * Applied in one place, the Node front door (lib/server/start.ts), before every other door: the page cache, the
 * stream served on Node's response and Next all answer with the header already set.
 */

/** What a cross-origin client may do on a route: the methods and request headers its preflight allows. */
type Access = { methods: string; headers: string; exposes: string };

// Beyond the safelisted response headers: when to retry (429, 503) and the validator for a conditional GET.
const EXPOSED = "Retry-After, ETag";

/**
 * The read API: GET and HEAD, with Last-Event-ID (which an EventSource sends when it reconnects) and what
 * polyfills and fetch-based clients add.
 */
const READ: Access = {
  methods: "GET, HEAD, OPTIONS",
  headers: "Last-Event-ID, Cache-Control, If-None-Match",
  exposes: EXPOSED,
};

/**
 * The MCP server (Streamable HTTP): JSON-RPC in a POST, with the headers an MCP client sends (the protocol version,
 * a session id, Last-Event-ID when it resumes a stream) and the session id it may read back. GET is allowed too,
 * though the stateless server answers it 405: a client asks for a GET stream after initializing, and a 405 it can
 * read tells it there is none, where a refused preflight would be a network error.
 */
const MCP: Access = {
  methods: "GET, POST, OPTIONS",
  headers: "Content-Type, Accept, Mcp-Protocol-Version, Mcp-Session-Id, Last-Event-ID",
  exposes: `${EXPOSED}, Mcp-Session-Id`,
};

/** The public routes that other origins may call, each with what it allows; everything else stays same-origin. */
const READABLE: readonly { path: RegExp; access: Access }[] = [
  { path: /^\/api\/v1\/countries$/, access: READ },
  { path: /^\/api\/v1\/numbers$/, access: READ },
  { path: /^\/api\/v1\/numbers\/[^/]+\/(?:messages|stream|wait|feed\.rss|feed\.atom|feed\.json)$/, access: READ },
  { path: /^\/api\/v1\/services\/[^/]+\/(?:feed\.rss|feed\.atom|feed\.json)$/, access: READ },
  { path: /^\/api\/v1\/openapi\.json$/, access: READ },
  { path: /^\/api\/mcp$/, access: MCP },
];

function accessOf(pathname: string): Access | null {
  return READABLE.find((route) => route.path.test(pathname))?.access ?? null;
}

export function isCrossOriginReadable(pathname: string): boolean {
  return accessOf(pathname) !== null;
}

/** On every answer of a readable route, errors included: a script on another origin can read why it was refused. */
export function corsHeaders(pathname: string): Readonly<Record<string, string>> | null {
  const access = accessOf(pathname);
  return access && { "Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": access.exposes };
}

/**
 * The answer to a preflight (OPTIONS) for a readable route: the methods and request headers a cross-origin client
 * may use there. Kept for a day by the browser.
 */
export function preflightHeaders(pathname: string): Readonly<Record<string, string>> | null {
  const access = accessOf(pathname);
  if (!access) return null;
  return {
    ...corsHeaders(pathname),
    "Access-Control-Allow-Methods": access.methods,
    "Access-Control-Allow-Headers": access.headers,
    "Access-Control-Max-Age": "86400",
    Allow: access.methods,
    "Cache-Control": "no-store",
  };
}

/**
 * The policy, on a Node request and response: for a readable route, answers a preflight (true: nothing else is to
 * answer it) or sets the headers on the response that will be written (false); for any other route does nothing.
 * Preflights are answered before the per-address budgets: they cost nothing, and a browser sends one per URL.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse): boolean {
  const url = req.url ?? "/";
  const query = url.indexOf("?");
  const pathname = query === -1 ? url : url.slice(0, query);
  if (req.method === "OPTIONS") {
    const preflight = preflightHeaders(pathname);
    if (!preflight) return false;
    res.writeHead(204, preflight);
    res.end();
    return true;
  }
  for (const [name, value] of Object.entries(corsHeaders(pathname) ?? {})) res.setHeader(name, value);
  return false;
}
