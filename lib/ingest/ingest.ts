import type { Db } from "@/db/client";
import { config } from "@/lib/config";
import { AppError, isDatabaseUnavailable } from "@/lib/errors";
import { isAllowed, parseAllowList } from "@/lib/ip-allowlist";
import { clientAddress, NO_PROXY, type ProxyTrust } from "@/lib/limits/client-address";
import { consumeGatewayBudget } from "@/lib/limits/gateway-rate";
import { announce, announceChange } from "@/lib/live/fanout";
import { json } from "@/lib/http";
import { readRawBody } from "@/lib/http/body";
import { describeError } from "@/lib/security/log";
import type { Adapter } from "./adapter";
import { adapterFor } from "./adapters";
import { requireGateway, toAuth } from "./gateway";
import { quarantine } from "./quarantine";
import { toInboundRequest, type InboundRequest } from "./request";
import { recordHeartbeat, storeMessages } from "./store";
import { validateMessage } from "./validate";
import { authenticateWithKey } from "./verify";

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
 * store in one transaction → answer (only now, after the commit) → publish to live subscribers (after the answer).
 * An authenticated request that fails after authentication is quarantined before the 4xx.
 */
export async function ingest(db: Db, gatewayId: string, request: Request, limits: IngestLimits): Promise<Response> {
  const { gateway, recipients } = await requireGateway(db, gatewayId);
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
  } catch (failure) {
    if (isDatabaseUnavailable(failure)) throw failure;
    console.error("quarantine: keeping a refused request failed:", describeError(failure));
  }
}

/** POST /api/inbound/{gateway}/heartbeat: the host says it is alive. */
export async function heartbeat(db: Db, gatewayId: string, request: Request): Promise<Response> {
  const { gateway, recipients } = await requireGateway(db, gatewayId);
  authenticateWithKey({ headers: request.headers, url: new URL(request.url) }, toAuth(gateway), { query: true });
  const at = await recordHeartbeat(db, gateway.id);
  // Its numbers' pages show whether the host is online: they are stale now.
  void announceChange(recipients.map((r) => r.number));
  return json({ ok: true, lastSeenAt: at.toISOString() });
}
