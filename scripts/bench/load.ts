/**
 * Load from outside, as visitors make it: autocannon (from the npm registry, run in this process) keeps
 * CONNECTIONS connections busy, each sending its next request as soon as the last is answered, with the headers a
 * browser sends for a document: the servers compress as they would for visitors, and that cost is measured too.
 */
import http from "node:http";
import autocannon from "autocannon";

export const CONNECTIONS = 10;

export type Accepts = "html" | "json";
// What browsers send; a server picks what it supports (Next: gzip).
const ACCEPT_ENCODING = "gzip, deflate, br, zstd";
const ACCEPT: Record<Accepts, string> = {
  html: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
  json: "application/json",
};

export type Run = {
  perSecond: number;
  // Latency percentiles of this run, ms.
  p50: number;
  p99: number;
  // Anything but a 2xx, by status ("503": 4) or kind ("errors": connection errors and timeouts).
  failures: Record<string, number>;
};

/**
 * Loads `url` for `seconds`. `uncached`: every request asks for the page under a query of its own, so that no
 * request is answered from what Numbox keeps — what rendering it costs (once per change in real use).
 */
export async function load(url: string, accepts: Accepts, seconds: number, uncached = false): Promise<Run> {
  const { pathname, search } = new URL(url);
  let request = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { accept: ACCEPT[accepts], "accept-encoding": ACCEPT_ENCODING },
    ...(uncached
      ? {
          requests: [
            {
              setupRequest: (req) => ({ ...req, path: `${pathname}${search ? `${search}&` : "?"}render=${request++}` }),
            },
          ],
        }
      : {}),
  });
  return runOf(result);
}

/** One autocannon result as a run: its rate, latency and everything but 2xx. */
export function runOf(result: autocannon.Result): Run {
  const failures: Record<string, number> = {};
  for (const [status, { count = 0 }] of Object.entries(result.statusCodeStats ?? {})) {
    if (!status.startsWith("2") && count > 0) failures[status] = count;
  }
  if (result.errors > 0) failures.errors = result.errors;
  return {
    perSecond: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures,
  };
}

export type Size = { status: number; plain: number; gzip: number | undefined };

/**
 * The size of one response body as it crosses the wire: asked for as is, and asked for with gzip (undefined when
 * the server does not compress it). Node's own http client, which does not decompress.
 */
export async function responseSize(url: string, accepts: Accepts): Promise<Size> {
  const plain = await get(url, { accept: ACCEPT[accepts] });
  const gzip = await get(url, { accept: ACCEPT[accepts], "accept-encoding": "gzip" });
  return { status: plain.status, plain: plain.bytes, gzip: gzip.encoding === "gzip" ? gzip.bytes : undefined };
}

function get(
  url: string,
  headers: http.OutgoingHttpHeaders,
): Promise<{ status: number; bytes: number; encoding?: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        let bytes = 0;
        response.on("data", (chunk: Buffer) => (bytes += chunk.length));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, bytes, encoding: response.headers["content-encoding"] }),
        );
        response.on("error", reject);
      })
      .on("error", reject);
  });
}
