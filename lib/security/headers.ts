/**
 * The security headers every response carries. Pure and framework-free: proxy.ts applies the per-request ones
 * (the Content-Security-Policy with its nonce, HSTS from the runtime PUBLIC_URL), next.config.ts the fixed ones.
 *
 * An inbox page shows text written by strangers. React renders it as text nodes, so no markup gets through; the
 * CSP is the second wall should that ever fail: only scripts carrying this response's nonce run.
 */

/** Headers that never change: next.config.ts sets them on every path (pages, API, static files), ingestion included. */
export const FIXED_SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  // A JSON body or an uploaded-looking file is never sniffed into HTML or script.
  { key: "X-Content-Type-Options", value: "nosniff" },
  // An inbox URL names the number: a visitor clicking a link in an SMS must not tell the linked site which
  // number (or that Numbox) sent them there.
  { key: "Referrer-Policy", value: "no-referrer" },
  // frame-ancestors 'none' for browsers that predate it: nobody frames the inbox to overlay its buttons.
  { key: "X-Frame-Options", value: "DENY" },
];

// Two years, the preload lists' minimum; subdomains are left out: the operator's other hosts are not ours to pin.
const HSTS = "max-age=63072000";

/** A fresh nonce: 128 random bits, base64 (what CSP's nonce-source allows). Web Crypto: proxy.ts may run anywhere. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

export type PolicyOptions = {
  /** The request's nonce; Next reads it back from the request's CSP header and puts it on its scripts. */
  nonce: string;
  /** `next dev`: React rebuilds server error stacks with eval, and the dev overlay injects inline styles. */
  dev: boolean;
  /** Served over https (PUBLIC_URL): stray http sub-resources are upgraded rather than loaded in clear. */
  https: boolean;
};

/**
 * The CSP of a page (and of anything else that is not the JSON API: static files carry it harmlessly).
 *
 * - script-src: only scripts with this response's nonce, and what they load ('strict-dynamic': the Next runtime
 *   adds its chunks as script elements). 'self' is a fallback for browsers without 'strict-dynamic'. No
 *   'unsafe-inline' for scripts, ever.
 * - style-src: our stylesheet, and inline styles only with the nonce (Next puts it on the few it writes). In
 *   development only, 'unsafe-inline' instead: the dev overlay injects styles without one (a nonce next to
 *   'unsafe-inline' would switch it off again, so it is one or the other).
 * - connect-src 'self': the live inbox talks only to its own stream and API.
 */
export function pageContentSecurityPolicy({ nonce, dev, https }: PolicyOptions): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    "script-src": ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(dev ? ["'unsafe-eval'"] : [])],
    "style-src": ["'self'", dev ? "'unsafe-inline'" : `'nonce-${nonce}'`],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    ...(https ? { "upgrade-insecure-requests": [] } : {}),
  };
  return serialize(directives);
}

/**
 * The CSP of JSON API responses (set by next.config.ts on /api/*): they are data, never documents, so a browser
 * told to open one as a page may run and load nothing at all.
 */
export const API_CONTENT_SECURITY_POLICY = serialize({
  "default-src": ["'none'"],
  "frame-ancestors": ["'none'"],
  "base-uri": ["'none'"],
  "form-action": ["'none'"],
});

/**
 * The CSP of a page proxy.ts writes itself (the "slow down" page of a rate limit): plain HTML with its own
 * <style> and no script, so it may style itself and do nothing else.
 */
export const SELF_CONTAINED_PAGE_CONTENT_SECURITY_POLICY = serialize({
  "default-src": ["'none'"],
  "style-src": ["'unsafe-inline'"],
  "frame-ancestors": ["'none'"],
  "base-uri": ["'none'"],
  "form-action": ["'none'"],
});

export type RequestSecurity = {
  /** Headers to put on the request handed to Next (it reads the nonce from the CSP it finds there). */
  request: Record<string, string>;
  /** Headers to put on the response Next renders. */
  response: Record<string, string>;
  /** Headers to put instead on a response proxy.ts answers itself, without Next rendering anything. */
  answered: Record<string, string>;
};

/**
 * The per-request security headers for a path. `publicUrl` decides HSTS: only a site served over https may
 * promise browsers to come back over https only (and a plain-http localhost must never send it).
 */
export function requestSecurity(
  pathname: string,
  { publicUrl, dev, nonce }: { publicUrl: string; dev: boolean; nonce?: string },
): RequestSecurity {
  const https = isHttps(publicUrl);
  const hsts: Record<string, string> = https ? { "Strict-Transport-Security": HSTS } : {};
  // The API's CSP is fixed (next.config.ts); setting it here too would send the header twice.
  if (isApiPath(pathname)) return { request: {}, response: hsts, answered: hsts };
  // Made only for a page: an API answer (every ingest POST) has no use for one, and it cost a random draw each.
  nonce ??= newNonce();
  const policy = pageContentSecurityPolicy({ nonce, dev, https });
  return {
    request: { "Content-Security-Policy": policy, "x-nonce": nonce },
    response: { "Content-Security-Policy": policy, ...hsts },
    answered: { "Content-Security-Policy": SELF_CONTAINED_PAGE_CONTENT_SECURITY_POLICY, ...hsts },
  };
}

export function isApiPath(pathname: string): boolean {
  return pathname === "/api" || pathname.startsWith("/api/");
}

export function isHttps(publicUrl: string): boolean {
  try {
    return new URL(publicUrl).protocol === "https:";
  } catch {
    return false;
  }
}

function serialize(directives: Record<string, string[]>): string {
  return Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(" "))
    .join("; ");
}
