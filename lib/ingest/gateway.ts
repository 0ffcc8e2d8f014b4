import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { gateways, numbers, type Gateway } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { untilChanged } from "@/lib/live/until-changed";
import type { GatewayAuth } from "./adapter";
import type { Recipient } from "./validate";

/** What a gateway id may be: safe in a URL path, a log line and a shell script as it is. */
export const GATEWAY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export async function findGateway(db: Db, id: string): Promise<Gateway | undefined> {
  const [row] = await db.select().from(gateways).where(eq(gateways.id, id));
  return row;
}

/** A gateway as the pipeline sees it: the gateway with its keys, and the numbers it may deliver to. */
export type KnownGateway = { gateway: Gateway; recipients: Recipient[] };

export async function requireGateway(db: Db, gatewayId: string): Promise<KnownGateway> {
  // An id no gateway can have is not looked up: "%00" would reach the database as a NUL, which Postgres refuses.
  const known = GATEWAY_ID.test(gatewayId) ? await knownGateway(db, gatewayId) : undefined;
  if (!known) throw new AppError("unknown_gateway", `There is no gateway '${gatewayId.slice(0, 64)}'.`);
  return known;
}

// A gateway, its keys and its numbers change only by the operator's hand: read once, not on every request.
const knownGateway = untilChanged(async (db, gatewayId): Promise<KnownGateway | undefined> => {
  const gateway = await findGateway(db, gatewayId);
  return gateway && { gateway, recipients: await recipientsOf(db, gateway.id) };
});

export function toAuth(gateway: Gateway): GatewayAuth {
  return {
    id: gateway.id,
    kind: gateway.kind,
    apiKeyHashes: gateway.apiKeyHashes,
    secrets: gateway.secrets,
    config: gateway.config,
  };
}

async function recipientsOf(db: Db, gatewayId: string): Promise<Recipient[]> {
  const rows = await db
    .select({ number: numbers.number, status: numbers.status, sim: numbers.sim })
    .from(numbers)
    .where(eq(numbers.gatewayId, gatewayId));
  return rows.map((r) => ({ number: r.number, active: r.status === "active", sim: r.sim }));
}
