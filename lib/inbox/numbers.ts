import { and, desc, eq, gt, ne, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { gateways, numbers, type NumberStatus } from "@/db/schema";
import { config } from "@/lib/config";
import { countryName, digitsOf } from "@/lib/text/phone";
import { messagesSince } from "./activity";
import { healthOf, type Health } from "./health";

/** A number as the public API and the pages see it. */
export type PublicNumber = {
  number: string;
  digits: string;
  country: string;
  countryName: string;
  status: NumberStatus;
  health: Health;
  demo: boolean;
  lastMessageAt: string | null;
  hostSeenAt: string | null;
  messages24h: number;
};

export type Country = { code: string; name: string; numbers: number };

const DAY_MS = 24 * 60 * 60 * 1000;

function selectNumbers(db: Db, since: Date) {
  return db
    .select({
      number: numbers.number,
      country: numbers.country,
      status: numbers.status,
      demo: numbers.demo,
      lastMessageAt: numbers.lastMessageAt,
      hostSeenAt: gateways.lastSeenAt,
      // By our clock (created_at), not the source's: device clocks can be years off. Summed from the read model
      // kept on write (activity.ts), not counted from messages on every view.
      messages24h: messagesSince(since),
    })
    .from(numbers)
    .innerJoin(gateways, eq(gateways.id, numbers.gatewayId));
}

type NumberFacts = Awaited<ReturnType<ReturnType<typeof selectNumbers>["execute"]>>[number];

function toPublicNumber(row: NumberFacts, now: Date): PublicNumber {
  const offlineAfterMs = config().HOST_OFFLINE_AFTER_MINUTES * 60_000;
  return {
    number: row.number,
    digits: digitsOf(row.number),
    country: row.country,
    countryName: countryName(row.country),
    status: row.status,
    health: healthOf(row, now, offlineAfterMs),
    demo: row.demo,
    lastMessageAt: row.lastMessageAt?.toISOString() ?? null,
    hostSeenAt: row.hostSeenAt?.toISOString() ?? null,
    messages24h: Number(row.messages24h),
  };
}

/** Numbers visitors can use (not retired; the operator's list includes them), most recently active first. */
export async function listNumbers(
  db: Db,
  options: { country?: string; limit?: number; includeRetired?: boolean } = {},
): Promise<PublicNumber[]> {
  const now = new Date();
  const rows = await selectNumbers(db, new Date(now.getTime() - DAY_MS))
    .where(
      and(
        options.includeRetired ? undefined : ne(numbers.status, "retired"),
        options.country ? eq(numbers.country, options.country) : undefined,
      ),
    )
    .orderBy(sql`${numbers.lastMessageAt} desc nulls last`, numbers.number)
    .limit(options.limit ?? 1000);
  return rows.map((row) => toPublicNumber(row, now));
}

/** Numbers that received messages most recently, for the home page. */
export async function recentNumbers(db: Db, limit = 8): Promise<PublicNumber[]> {
  const now = new Date();
  const rows = await selectNumbers(db, new Date(now.getTime() - DAY_MS))
    .where(and(eq(numbers.status, "active"), gt(numbers.lastMessageAt, new Date(0))))
    .orderBy(desc(numbers.lastMessageAt))
    .limit(limit);
  return rows.map((row) => toPublicNumber(row, now));
}

/** One number (any status), or undefined when it is not ours. */
export async function getNumber(db: Db, e164: string): Promise<PublicNumber | undefined> {
  const now = new Date();
  const [row] = await selectNumbers(db, new Date(now.getTime() - DAY_MS)).where(eq(numbers.number, e164));
  return row && toPublicNumber(row, now);
}

/** Whether the number is ours (any status): all the read API, stream and wait need before they read messages. */
export async function isOurNumber(db: Db, e164: string): Promise<boolean> {
  const [row] = await db.select({ number: numbers.number }).from(numbers).where(eq(numbers.number, e164));
  return row !== undefined;
}

/** Countries with at least one usable number; `numbers` counts the active ones. */
export async function listCountries(db: Db): Promise<Country[]> {
  const rows = await db
    .select({
      code: numbers.country,
      numbers: sql<number>`count(*) filter (where ${numbers.status} = 'active')::int`,
    })
    .from(numbers)
    .where(ne(numbers.status, "retired"))
    .groupBy(numbers.country);
  return rows
    .map((r) => ({ code: r.code, name: countryName(r.code), numbers: Number(r.numbers) }))
    .sort((a, b) => b.numbers - a.numbers || a.name.localeCompare(b.name));
}
