import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { numbers } from "@/db/schema";
import { findGateway } from "@/lib/admin/gateways";
import { AppError } from "@/lib/errors";
import { bus } from "@/lib/live/bus";
import type { Adapter } from "./adapter";
import { readRawBody } from "./body";
import { generic, authenticateWithKey } from "./generic";
import { recordHeartbeat, storeMessages } from "./store";
import { validateMessage } from "./validate";

const ADAPTERS: Record<string, Adapter> = { generic };

/**
 * The ingestion pipeline, in the order that keeps every promise to the sender:
 * find the gateway → check the content type and size → authenticate on the raw bytes → parse → validate all →
 * store in one transaction → answer (only now, after the commit) → publish to live subscribers.
 */
export async function ingest(db: Db, gatewayId: string, request: Request, maxBodyBytes: number): Promise<Response> {
  const gateway = await findGateway(db, gatewayId);
  if (!gateway) throw new AppError(404, "unknown_gateway", `There is no gateway '${gatewayId}'.`);
  const adapter = ADAPTERS[gateway.kind];
  if (!adapter) throw new AppError(501, "unsupported_kind", `Gateways of kind '${gateway.kind}' cannot ingest yet.`);

  if (!adapter.accepts(request.headers.get("content-type"))) {
    throw new AppError(415, "unsupported_media_type", `Gateway '${gateway.id}' (${gateway.kind}) takes application/json.`);
  }
  const body = await readRawBody(request, maxBodyBytes);
  adapter.authenticate(request, gateway, body);
  const inbound = adapter.parse(body);

  const recipients = await recipientsOf(db, gateway.id);
  const valid = inbound.map((m, i) => validateMessage(m, recipients, inbound.length > 1 ? `messages[${i}]: ` : ""));
  const result = await storeMessages(db, gateway.id, valid);

  for (const message of result.stored) bus.publish(message);
  return adapter.respond(result);
}

/** POST /api/inbound/{gateway}/heartbeat: the host says it is alive. */
export async function heartbeat(db: Db, gatewayId: string, request: Request): Promise<Response> {
  const gateway = await findGateway(db, gatewayId);
  if (!gateway) throw new AppError(404, "unknown_gateway", `There is no gateway '${gatewayId}'.`);
  authenticateWithKey(request, gateway);
  const at = await recordHeartbeat(db, gateway.id);
  return Response.json({ ok: true, lastSeenAt: at.toISOString() }, { headers: { "Cache-Control": "no-store" } });
}

/** The gateway's numbers (E.164) → whether each accepts messages now. */
async function recipientsOf(db: Db, gatewayId: string): Promise<Map<string, boolean>> {
  const rows = await db
    .select({ number: numbers.number, status: numbers.status })
    .from(numbers)
    .where(eq(numbers.gatewayId, gatewayId));
  return new Map(rows.map((r) => [r.number, r.status === "active"]));
}
