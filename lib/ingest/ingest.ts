import type { Db } from "@/db/client";
import { config } from "@/lib/config";
import { AppError, isDatabaseUnavailable } from "@/lib/errors";
import { isAllowed, parseAllowList } from "@/lib/ip-allowlist";
import { clientAddress, NO_PROXY, type ProxyTrust } from "@/lib/limits/client-address";
import { consumeGatewayBudget } from "@/lib/limits/gateway-rate";
import { announce, announceChange } from "@/lib/live/fanout";
import { json } from "@/lib/http";
import { readRawBody } from "@/lib/http/body";
import { metrics } from "@/lib/observability/metrics";
import { describeError } from "@/lib/security/log";
import type { Adapter } from "./adapter";
import { adapterFor } from "./adapters";
import { requireGateway, toAuth } from "./gateway";
import { quarantine } from "./quarantine";
import { toInboundRequest, type InboundRequest } from "./request";
import { recordHeartbeat, storeMessages } from "./store";
import { validateMessage } from "./validate";
import { authenticateWithKey } from "./verify";
import { log } from "@/lib/observability/log";

export type IngestLimits = {
  maxBodyBytes: number;
  maxUrlLength: number;
  publicUrl: string;
  // Optional so that the domain can be driven without our HTTP server in front (tests).
  proxies?: ProxyTrust;
  ratePerMinute?: number;
};

/** The limits of lib/config.ts, as ingest takes them. */
export function ingestLimits(): IngestLimits {
  const settings = config();
  return {
    maxBodyBytes: settings.INGEST_MAX_BODY_BYTES,
    maxUrlLength: settings.INGEST_MAX_URL_LENGTH,
    publicUrl: settings.PUBLIC_URL,
    proxies: settings,
    ratePerMinute: settings.INGEST_RATE_PER_MINUTE,
  };
}

/**
 * The ingestion pipeline, in the order that keeps every promise to the sender:
 * find the gateway → source address → method, size, content type → authenticate on the raw bytes → the
 * gateway's rate → parse → validate all →
 * store all or nothing → answer (only now, after the commit) → publish to live subscribers (after the answer).
 * An authenticated request that fails after authentication is quarantined before the 4xx.
 */
export async function ingest(db: Db, gatewayId: string, request: Request, limits: IngestLimits): Promise<Response> {
  // What the metrics say of this request, filled in as the pipeline learns it. A gateway that does not exist is
  // "(unknown)": anyone can post to any id, and each one a label of its own would grow without bound.
  const seen: Seen = { gateway: UNKNOWN, kind: UNKNOWN, outcome: "ignored" };
  try {
    return await ingestRequest(db, gatewayId, request, limits, seen);
  } catch (error) {
    seen.outcome = errorCodeOf(error);
    // The host's mistake or an attacker's: worth a look, not an alarm. The code says why; the detail may quote
    // what was sent, and is the sender's to read.
    if (error instanceof AppError && error.status < 500)
      log().warn({ gateway: seen.gateway, kind: seen.kind, code: error.code, status: error.status }, "ingest refused");
    throw error;
  } finally {
    metrics().ingestRequests.inc(seen);
  }
}

type Seen = { gateway: string; kind: string; outcome: string };
const UNKNOWN = "(unknown)";

function errorCodeOf(error: unknown): string {
  if (error instanceof AppError) return error.code;
  return isDatabaseUnavailable(error) ? "database_unavailable" : "internal_error";
}

async function ingestRequest(
  db: Db,
  gatewayId: string,
  request: Request,
  limits: IngestLimits,
  seen: Seen,
): Promise<Response> {
  const { gateway, recipients } = await requireGateway(db, gatewayId);
  seen.gateway = gateway.id;
  seen.kind = gateway.kind;
  const adapter = adapterFor(gateway.kind);
  if (!adapter) throw new AppError("unsupported_kind_served", `Gateways of kind '${gateway.kind}' cannot ingest yet.`);

  const allowIps = gateway.config.allowIps;
  if (Array.isArray(allowIps) && allowIps.length > 0) {
    const list = parseAllowList(allowIps as string[]);
    const address = clientAddress(request.headers, limits.proxies ?? NO_PROXY);
    if (typeof list === "string" || !isAllowed(list, address)) {
      throw new AppError(
        "source_ip_not_allowed",
        `Requests from ${address ?? "an unknown address"} are not allowed for gateway '${gateway.id}'.`,
      );
    }
  }

  const method = request.method.toUpperCase();
  if (!adapter.methods.includes(method as Adapter["methods"][number])) {
    throw new AppError(
      "method_not_allowed",
      `Gateway '${gateway.id}' (${gateway.kind}) takes ${adapter.methods.join(" or ")}.`,
      {
        Allow: adapter.methods.join(", "),
      },
    );
  }
  if (request.url.length > limits.maxUrlLength) {
    throw new AppError("uri_too_long", `The URL is longer than ${limits.maxUrlLength} characters.`);
  }
  if (method !== "GET") {
    const mediaType = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
    if (!adapter.mediaTypes.includes(mediaType)) {
      throw new AppError(
        "unsupported_media_type",
        `Gateway '${gateway.id}' (${gateway.kind}) takes ${adapter.mediaTypes.join(" or ")}, not '${mediaType || "no content type"}'.`,
      );
    }
  }
  const body = await readRawBody(request, limits.maxBodyBytes);
  const inbound = toInboundRequest(request, body, limits.publicUrl);
  const auth = toAuth(gateway);
  await adapter.authenticate(inbound, auth);
  if (limits.ratePerMinute) await consumeGatewayBudget(gateway.id, limits.ratePerMinute);

  try {
    const parsed = adapter.parse(inbound, auth);
    if ("ignored" in parsed) return adapter.respond(null);
    const many = parsed.messages.length > 1;
    const valid = parsed.messages.map((m, i) => validateMessage(m, recipients, many ? `messages[${i}]: ` : ""));
    const result = await storeMessages(db, gateway.id, valid, { partsWaitMs: adapter.partsWaitMs });
    seen.outcome = result.accepted === 0 && result.duplicates > 0 ? "duplicate" : "stored";
    metrics().messagesStored.inc({ gateway: gateway.id }, result.stored.length);
    if (result.duplicates > 0) metrics().duplicates.inc({ gateway: gateway.id }, result.duplicates);
    // Committed: announced at once, so that this instance's inboxes take the messages while the answer goes out.
    // Neither the other instances hearing of it nor the delivery to subscribers (thousands, maybe) holds the
    // sender up: both happen in later turns of the event loop (fanout.ts, inboxes.ts).
    void announce(result.stored, result.before);
    return adapter.respond(result);
  } catch (error) {
    if (error instanceof AppError && error.status < 500) await keep(db, gateway.id, inbound, error);
    throw error;
  }
}

/**
 * Quarantines a refused request. The sender still gets its 4xx if keeping it fails for any reason but an
 * unreachable database (a 503 then, so the request comes back): a 500 instead would have a modem script retry
 * forever what will be refused forever.
 */
async function keep(db: Db, gatewayId: string, inbound: InboundRequest, error: AppError): Promise<void> {
  try {
    await quarantine(db, gatewayId, inbound, error);
    metrics().quarantined.inc({ gateway: gatewayId });
  } catch (failure) {
    if (isDatabaseUnavailable(failure)) throw failure;
    log().error({ gateway: gatewayId, error: describeError(failure) }, "quarantine: keeping a refused request failed");
  }
}

/** POST /api/inbound/{gateway}/heartbeat: the host says it is alive. */
export async function heartbeat(db: Db, gatewayId: string, request: Request): Promise<Response> {
  const { gateway, recipients } = await requireGateway(db, gatewayId);
  authenticateWithKey({ headers: request.headers, url: new URL(request.url) }, toAuth(gateway), { query: true });
  const at = await recordHeartbeat(db, gateway.id);
  metrics().ingestRequests.inc({ gateway: gateway.id, kind: gateway.kind, outcome: "heartbeat" });
  // Its numbers' pages show whether the host is online: they are stale now.
  void announceChange(recipients.map((r) => r.number));
  return json({ ok: true, lastSeenAt: at.toISOString() });
}
