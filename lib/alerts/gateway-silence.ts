import { and, eq, gt, isNotNull, isNull, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { gateways } from "@/db/schema";

/** A gateway that was sending went silent, or came back: what the operator is told (lib/alerts/webhook.ts). */
export type GatewayAlert = {
  event: "gateway.offline" | "gateway.recovered";
  gateway: string;
  kind: string;
  lastSeenAt: string;
  at: string;
};

/**
 * The gateways that went silent for `offlineAfterMinutes` (the same limit after which their numbers' pages say
 * the host is offline), and those that were silent and sent again, since the last look — each change claimed
 * once: a gateway's row is marked (or unmarked) by the same UPDATE that finds it, so of several instances
 * looking at once, exactly one gets each change. Only gateways that have sent something count (one never seen
 * has not gone quiet), and not the demo's.
 */
export async function gatewayAlerts(db: Db, offlineAfterMinutes: number, now = new Date()): Promise<GatewayAlert[]> {
  const columns = { id: gateways.id, kind: gateways.kind, lastSeenAt: gateways.lastSeenAt };
  const recovered = await db
    .update(gateways)
    .set({ offlineAlertedAt: null })
    .where(and(isNotNull(gateways.offlineAlertedAt), gt(gateways.lastSeenAt, gateways.offlineAlertedAt)))
    .returning(columns);
  const cutoff = new Date(now.getTime() - offlineAfterMinutes * 60_000);
  const silent = await db
    .update(gateways)
    .set({ offlineAlertedAt: now })
    .where(and(eq(gateways.demo, false), isNull(gateways.offlineAlertedAt), lt(gateways.lastSeenAt, cutoff)))
    .returning(columns);
  const alert = (event: GatewayAlert["event"]) => (g: (typeof silent)[number]) => ({
    event,
    gateway: g.id,
    kind: g.kind,
    lastSeenAt: g.lastSeenAt!.toISOString(),
    at: now.toISOString(),
  });
  return [...recovered.map(alert("gateway.recovered")), ...silent.map(alert("gateway.offline"))];
}
