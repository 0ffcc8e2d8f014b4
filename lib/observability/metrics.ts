import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { processWide } from "@/lib/process-wide";

/**
 * What GET /metrics shows Prometheus (lib/server/metrics.ts), through prom-client: one registry per process
 * (`processWide`: Next bundles this module several times), every metric named `numbox_…` and documented in its
 * help text. Labels are bounded: a gateway label is only ever a gateway that exists (a request to an unknown
 * gateway counts as "(unknown)"), a route label a route pattern, never a raw path.
 */
function create() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    ingestRequests: new Counter({
      name: "numbox_ingest_requests_total",
      help: "Ingestion requests (messages and heartbeats) by gateway, kind and outcome: 'stored', 'duplicate', 'ignored', 'heartbeat' or the error code answered.",
      labelNames: ["gateway", "kind", "outcome"] as const,
      registers,
    }),
    messagesStored: new Counter({
      name: "numbox_messages_stored_total",
      help: "Messages stored, by gateway.",
      labelNames: ["gateway"] as const,
      registers,
    }),
    duplicates: new Counter({
      name: "numbox_message_duplicates_total",
      help: "Messages sent again (a retry) and not stored twice, by gateway.",
      labelNames: ["gateway"] as const,
      registers,
    }),
    quarantined: new Counter({
      name: "numbox_quarantined_total",
      help: "Authenticated ingestion requests refused and kept in the quarantine, by gateway.",
      labelNames: ["gateway"] as const,
      registers,
    }),
    gatewayLastSeen: new Gauge({
      name: "numbox_gateway_last_seen_timestamp_seconds",
      help: "When each gateway last sent a message or a heartbeat (Unix time); absent for one never seen. Alert on time() minus this.",
      labelNames: ["gateway", "kind"] as const,
      registers,
    }),
    openConnections: new Gauge({
      name: "numbox_open_connections",
      help: "Live streams and wait calls this instance holds open now.",
      labelNames: ["kind"] as const,
      registers,
    }),
    fanoutSeconds: new Histogram({
      name: "numbox_fanout_seconds",
      help: "From a message reaching its live inbox to its last subscriber on this instance being handed it.",
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    requestSeconds: new Histogram({
      name: "numbox_http_request_duration_seconds",
      help: "Requests by route pattern, method and status, from arrival to the last byte written (a stream: its whole life).",
      labelNames: ["route", "method", "status"] as const,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60],
      registers,
    }),
    rateLimited: new Counter({
      name: "numbox_rate_limited_total",
      help: "Requests refused with 429 by each budget ('page', 'api', 'admin', 'gateway', 'report', …) or open-connection cap ('streams', 'waits').",
      labelNames: ["door"] as const,
      registers,
    }),
    purgeRuns: new Counter({ name: "numbox_purge_runs_total", help: "Retention purges run.", registers }),
    purgedRows: new Counter({
      name: "numbox_purged_rows_total",
      help: "Rows the retention purge deleted, by what they were ('expired', 'overCap', 'retired', 'parts', 'quarantine', 'reports').",
      labelNames: ["what"] as const,
      registers,
    }),
    databaseErrors: new Counter({
      name: "numbox_database_unavailable_total",
      help: "Requests answered 503 because the database was unavailable.",
      registers,
    }),
    internalErrors: new Counter({
      name: "numbox_internal_errors_total",
      help: "Requests answered 500: a bug, logged with its stack.",
      registers,
    }),
  };
}

export function metrics() {
  return processWide("metrics", create);
}

// Outcomes of an ingest request that are not a refusal.
const ACCEPTED = new Set(["stored", "duplicate", "ignored", "heartbeat"]);

/** Ingest requests this instance refused since it started, by gateway and error code, most first. */
export async function ingestRefusals(): Promise<{ gateway: string; kind: string; code: string; count: number }[]> {
  const { values } = await metrics().ingestRequests.get();
  return values
    .filter((v) => !ACCEPTED.has(String(v.labels.outcome)))
    .map((v) => ({
      gateway: String(v.labels.gateway),
      kind: String(v.labels.kind),
      code: String(v.labels.outcome),
      count: v.value,
    }))
    .sort((a, b) => b.count - a.count);
}
