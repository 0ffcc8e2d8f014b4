import type { IncomingMessage, ServerResponse } from "node:http";
import { config } from "@/lib/config";
import { addressKey } from "@/lib/limits/address-key";
import { clientAddress, PEER_HEADER } from "@/lib/limits/client-address";
import { log } from "@/lib/observability/log";
import { metrics } from "@/lib/observability/metrics";
import { splitTarget } from "./node-http";
import { routeOf } from "./route-pattern";

/**
 * Once the connection is done with a request: its duration in the metrics, and one access line in the log —
 * method, route pattern (never the raw path: it may carry a key, `?key=` for the Android apps), status,
 * duration and the client's address key (the /64 of an IPv6 client, as the rate limits count it). Never a
 * header, query, body or token. Static assets are logged at debug: a page view fetches a dozen.
 */
export function observeRequest(req: IncomingMessage, res: ServerResponse): void {
  const started = performance.now();
  const route = routeOf(splitTarget(req.url).pathname);
  res.once("close", () => {
    const seconds = (performance.now() - started) / 1000;
    const labels = { route, method: req.method ?? "", status: String(res.statusCode) };
    metrics().requestSeconds.observe(labels, seconds);
    const level = route === "/_next/{asset}" ? "debug" : "info";
    if (!log().isLevelEnabled(level)) return;
    const ms = Math.round(seconds * 10_000) / 10;
    log()[level](
      { ...labels, status: res.statusCode, ms, client: clientOf(req), aborted: !res.writableFinished || undefined },
      "request",
    );
  });
}

function clientOf(req: IncomingMessage): string {
  const headers = new Headers();
  for (const name of [PEER_HEADER, "x-forwarded-for"]) {
    const value = req.headers[name];
    if (typeof value === "string") headers.set(name, value);
  }
  return addressKey(clientAddress(headers, config()));
}
