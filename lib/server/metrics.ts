import type { IncomingMessage, ServerResponse } from "node:http";
import { listGateways } from "@/lib/admin/gateways";
import { config } from "@/lib/config";
import { openCount } from "@/lib/limits/open-slots";
import { metrics } from "@/lib/observability/metrics";
import { bearerToken, sameSecret } from "@/lib/security/secrets";
import { getDb } from "./database";

/**
 * GET /metrics in Prometheus' text format (lib/observability/metrics.ts), behind `METRICS_TOKEN` as a bearer token
 * when it is set. Answered before anything else, like the probes: a scrape is never rate-limited or cached. The
 * gauges of what is open now and of each gateway's last-seen time are read as the scrape asks; a database that
 * does not answer leaves the gateways out of this scrape rather than failing it. Returns false for any other
 * request.
 */
export function serveMetrics(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.url !== "/metrics" || (req.method !== "GET" && req.method !== "HEAD")) return false;
  const token = config().METRICS_TOKEN;
  const presented = bearerToken(req.headers.authorization ?? null);
  if (token && (presented === null || !sameSecret(presented, token))) {
    const body = JSON.stringify({
      error: "unauthorized",
      detail: "GET /metrics takes the METRICS_TOKEN as a bearer token.",
    });
    res.writeHead(401, {
      ...NO_STORE,
      "Content-Type": "application/json",
      "WWW-Authenticate": 'Bearer realm="metrics"',
    });
    res.end(body);
    return true;
  }
  void scrape().then(
    ({ contentType, body }) => {
      res.writeHead(200, { ...NO_STORE, "Content-Type": contentType });
      res.end(req.method === "HEAD" ? undefined : body);
    },
    () => {
      res.writeHead(500, { ...NO_STORE, "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: "internal_error", detail: "The metrics could not be collected." }));
    },
  );
  return true;
}

const NO_STORE = { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };

async function scrape(): Promise<{ contentType: string; body: string }> {
  const m = metrics();
  m.openConnections.set({ kind: "streams" }, openCount("streams"));
  m.openConnections.set({ kind: "waits" }, openCount("waits"));
  try {
    const gateways = await listGateways(await getDb());
    m.gatewayLastSeen.reset();
    for (const g of gateways) {
      if (g.lastSeenAt) m.gatewayLastSeen.set({ gateway: g.id, kind: g.kind }, Date.parse(g.lastSeenAt) / 1000);
    }
  } catch {
    // The database is unavailable: numbox_database_unavailable_total and /readyz say so.
    m.gatewayLastSeen.reset();
  }
  return { contentType: m.registry.contentType, body: await m.registry.metrics() };
}
