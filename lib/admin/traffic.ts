import { desc, gte, ilike, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { messages } from "@/db/schema";
import { escapeLike } from "@/lib/inbox/messages";

const HOUR_MS = 60 * 60 * 1000;

export type GatewayTraffic = { lastHour: number; lastDay: number };

/**
 * Messages each gateway stored in the last hour and day, by our clock (created_at): the operator's first sign
 * that a host stopped sending. One range scan of the last day on the created_at index; the overview is read by
 * one operator now and then, not by every visitor.
 */
export async function gatewayTraffic(db: Db, now = new Date()): Promise<Map<string, GatewayTraffic>> {
  const hourAgo = new Date(now.getTime() - HOUR_MS);
  const rows = await db
    .select({
      gateway: messages.gatewayId,
      lastDay: sql<number>`count(*)`,
      lastHour: sql<number>`count(*) filter (where ${messages.createdAt} >= ${hourAgo.toISOString()})`,
    })
    .from(messages)
    .where(gte(messages.createdAt, new Date(now.getTime() - 24 * HOUR_MS)))
    .groupBy(messages.gatewayId);
  return new Map(rows.map((r) => [r.gateway, { lastHour: Number(r.lastHour), lastDay: Number(r.lastDay) }]));
}

export type LatestMessage = {
  id: number;
  number: string;
  gateway: string;
  sender: string;
  text: string;
  hidden: boolean;
  createdAt: string;
};

/**
 * The newest messages across every number, hidden ones included (marked): what the operator moderates. With
 * `search`, only those whose sender, text, number or gateway holds it (any case; % and _ are themselves).
 */
export async function latestMessages(db: Db, limit = 50, search?: string): Promise<LatestMessage[]> {
  const pattern = search ? `%${escapeLike(search)}%` : undefined;
  const rows = await db
    .select({
      id: messages.id,
      number: messages.number,
      gateway: messages.gatewayId,
      sender: messages.sender,
      text: messages.text,
      hidden: messages.hidden,
      createdAt: messages.createdAt,
    })
    .from(messages)
    .where(
      pattern === undefined
        ? undefined
        : or(
            ilike(messages.sender, pattern),
            ilike(messages.text, pattern),
            ilike(messages.number, pattern),
            ilike(messages.gatewayId, pattern),
          ),
    )
    .orderBy(desc(messages.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}
