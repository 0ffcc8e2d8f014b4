import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { config } from "@/lib/config";
import { guardDoor } from "@/lib/limits/doors";
import { processWide } from "@/lib/process-wide";
import { describeError } from "@/lib/security/log";
import { newNonce } from "@/lib/security/headers";
import { splitTarget, toHeaders, writeResponse } from "./node-http";
import { cacheKeyOf, cacheScopeOf } from "./cacheable";
import { NonceTemplate } from "./nonce-template";
import { ResponseCache, type Scope } from "./response-cache";
import { log } from "@/lib/observability/log";

/**
 * Public pages and the read API served from memory until they change (lib/server/response-cache.ts).
 *
 * Why not Next's own caches (ISR, Cache Components' `use cache` with `cacheTag`): every page carries a CSP nonce
 * that must be new in every response, and a page that reads its request's nonce is rendered per request — Next
 * caches data for it, never the page, and rendering alone caps a page near an eighth of a static one here. So
 * the whole answer is kept, outside Next, by the HTTP server (server.mjs calls `respond` for every request): the
 * first request renders through Next as before and its answer is kept; the next ones get it with a fresh nonce
 * written into the holes the old one left (lib/server/nonce-template.ts), already compressed, after the same
 * per-address budget proxy.ts would have charged.
 */

// Stale after this long even if nothing changed: the relative times ("3 min ago", "quiet for 7 h") and host
// health in a page age by themselves; a page re-rendered twice a minute is still nearly free.
const MAX_AGE_MS = 30_000;
// Enough for every number's inbox, page and API, several times over; the bytes bound is what really limits.
const MAX_ENTRIES = 5_000;
const MAX_BYTES = 64 * 1024 * 1024;
// What a CDN or reverse proxy in front may do: keep an answer two seconds (so a burst of visitors costs us one
// request), then ask again; browsers ask every time, and get a 304 when nothing changed.
const CACHE_CONTROL = "public, max-age=0, s-maxage=2";
// Headers of the rendered answer that are not kept: per connection, per response, or replaced when serving.
const NOT_KEPT = new Set([
  "date",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "content-encoding",
  "etag",
  "cache-control",
  "vary",
]);
const VARY = "rsc, next-router-state-tree, next-router-prefetch, next-router-segment-prefetch, Accept-Encoding";

type Answer = {
  status: number;
  headers: Record<string, string>;
  body: NonceTemplate;
  // The nonce the answer was rendered with (in its CSP header and its body), or null when it has none.
  nonce: string | null;
};

/** The process's cache, which every bundle of this module shares. */
export const responseCache = processWide(
  "response cache",
  () => new ResponseCache<Answer>({ maxAgeMs: MAX_AGE_MS, maxEntries: MAX_ENTRIES, maxBytes: MAX_BYTES }),
);

/** Answers `req` from the cache when it can; otherwise lets Next `render` it, and keeps the answer when it may. */
export function respond(req: IncomingMessage, res: ServerResponse, render: () => void): void {
  const url = req.url ?? "/";
  const { pathname } = splitTarget(url);
  const scope = cacheScopeOf(pathname);
  const key = scope && cacheKeyOf(req.method, url, req.headers);
  if (!scope || !key) return render();
  const kept = responseCache.get(key);
  if (kept) {
    void answerFromCache(req, res, pathname, kept.value).catch((error: unknown) => fail(res, error));
    return;
  }
  if (req.method !== "GET") return render();
  renderAndKeep(req, res, render, key, scope);
}

async function answerFromCache(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  answer: Answer,
): Promise<void> {
  const limited = await guardDoor(
    new Request(`http://numbox${req.url}`, { method: req.method, headers: toHeaders(req.headers) }),
    pathname,
    config(),
  );
  if (limited) return writeResponse(res, pathname, limited);
  send(req, res, answer);
}

/**
 * Lets Next render the answer into a buffer instead of the socket (as compression middleware does), then sends
 * it like a kept one. Next is asked for the plain body (no Accept-Encoding) and the whole of it (no conditional
 * headers): both are decided here, for kept and fresh answers alike.
 */
function renderAndKeep(req: IncomingMessage, res: ServerResponse, render: () => void, key: string, scope: Scope): void {
  const asked = { "accept-encoding": req.headers["accept-encoding"], "if-none-match": req.headers["if-none-match"] };
  delete req.headers["accept-encoding"];
  delete req.headers["if-none-match"];
  delete req.headers["if-modified-since"];
  const renderedAt = responseCache.now();
  const chunks: Buffer[] = [];
  const { writeHead, write, end, flushHeaders } = res;
  const restore = () => Object.assign(res, { writeHead, write, end, flushHeaders });
  const take = (chunk: unknown, encoding?: unknown) => {
    if (chunk !== undefined && chunk !== null && typeof chunk !== "function") {
      chunks.push(
        typeof chunk === "string"
          ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8")
          : Buffer.from(chunk as Uint8Array),
      );
    }
  };
  const callback = (args: unknown[]) => args.find((arg): arg is () => void => typeof arg === "function");
  Object.assign(res, {
    flushHeaders() {},
    writeHead(status: number, ...args: unknown[]) {
      res.statusCode = status;
      const headers = args.find((arg) => typeof arg === "object" && arg !== null);
      if (Array.isArray(headers))
        for (let i = 0; i + 1 < headers.length; i += 2) res.setHeader(String(headers[i]), headers[i + 1] as string);
      else if (headers)
        for (const [name, value] of Object.entries(headers))
          if (value !== undefined) res.setHeader(name, value as string);
      return res;
    },
    write(chunk: unknown, ...args: unknown[]) {
      take(chunk, args[0]);
      callback(args)?.();
      return true;
    },
    end(chunk?: unknown, ...args: unknown[]) {
      take(chunk, args[0]);
      restore();
      Object.assign(req.headers, asked);
      const body = Buffer.concat(chunks);
      const answer = keepable(req, res, body);
      if (!answer) {
        res.end(body, callback(args));
        return res;
      }
      responseCache.set(key, { value: answer, bytes: answer.body.bytes, scope, renderedAt, storedAt: Date.now() });
      send(req, res, answer);
      callback(args)?.();
      return res;
    },
  });
  render();
}

/** The rendered answer as one to keep, or null when it must not be (an error, a cookie, something else). */
function keepable(req: IncomingMessage, res: ServerResponse, body: Buffer): Answer | null {
  const type = String(res.getHeader("content-type") ?? "");
  if (
    res.statusCode !== 200 ||
    res.hasHeader("set-cookie") ||
    // Pages, router payloads, the API's JSON and the feeds (application/rss+xml, atom+xml, feed+json).
    !/^(text\/html|text\/x-component|application\/json|application\/(?:rss|atom)\+xml|application\/feed\+json)\b/.test(
      type,
    )
  )
    return null;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (value !== undefined && !NOT_KEPT.has(name))
      headers[name] = Array.isArray(value) ? value.join(", ") : String(value);
    res.removeHeader(name);
  }
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(headers["content-security-policy"] ?? "")?.[1] ?? null;
  return { status: 200, headers, body: NonceTemplate.cut(body, nonce), nonce };
}

function send(req: IncomingMessage, res: ServerResponse, answer: Answer): void {
  const etag = `W/${answer.body.etag}`; // weak: two answers differ in their nonces, nothing else
  const validators = { ETag: etag, "Cache-Control": CACHE_CONTROL, Vary: VARY };
  if (matches(req.headers["if-none-match"], etag)) {
    // Without the CSP: a cache that refreshes its stored headers from a 304 would pair a new nonce with the
    // stored body's old one, and block the page's scripts. With the answer's CORS headers (lib/security/cors.ts):
    // a script on another origin that revalidates by hand is shown the 304 only if it says it may be.
    const cors = Object.entries(answer.headers).filter(([name]) => name.startsWith("access-control-"));
    res.writeHead(304, { ...Object.fromEntries(cors), ...validators });
    res.end();
    return;
  }
  const nonce = answer.nonce && newNonce();
  const headers: OutgoingHttpHeaders = { ...answer.headers, ...validators };
  if (nonce)
    headers["content-security-policy"] = answer.headers["content-security-policy"]!.replaceAll(answer.nonce!, nonce);
  const gzip = acceptsGzip(req.headers["accept-encoding"]);
  const body = gzip ? answer.body.gzip(nonce ?? "") : answer.body.fill(nonce ?? "");
  if (gzip) headers["Content-Encoding"] = "gzip";
  headers["Content-Length"] = body.length;
  res.writeHead(answer.status, headers);
  res.end(req.method === "HEAD" ? undefined : body);
}

/** If-None-Match against our (weak) tag: weak comparison, as RFC 9110 §13.1.2 says for GET. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = etag.replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t.replace(/^W\//, "") === opaque;
  });
}

/** Whether the client takes gzip: named (or `*`) with a q-value above 0 (RFC 9110 §12.5.3). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  for (const entry of (acceptEncoding ?? "").split(",")) {
    const [coding, ...params] = entry.trim().toLowerCase().split(";");
    if (coding !== "gzip" && coding !== "x-gzip" && coding !== "*") continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (!q || Number(q.slice(2)) > 0) return true;
  }
  return false;
}

function fail(res: ServerResponse, error: unknown): void {
  log().error({ error: describeError(error, { stack: false }) }, "answering from the page cache failed");
  if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json", "Cache-Control": "no-store" });
  res.end(
    res.headersSent
      ? undefined
      : JSON.stringify({ error: "internal_error", detail: "Something went wrong on our side." }),
  );
}
