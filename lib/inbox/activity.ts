import { and, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { messages, numberActivity, numbers } from "@/db/schema";
import { bucketOf, HOUR_MS, moment } from "./buckets";
import { lockNumbers } from "./locks";
import { forgetOldServiceActivity, recountServiceActivity, serviceArrivalsRecorded } from "./service-activity";

/*
 * The read model of arrivals: a number's traffic (number_activity, here) and a service's (service_activity,
 * service-activity.ts), arrivals per bucket of our clock (buckets.ts), so that a page sums a few rows instead of
 * counting messages. This module is where they are written:
 * - recordArrivals (or arrivalsRecorded inside a larger statement), in every transaction that stores messages
 *   (store, parts sweep, demo seed), after the numbers' locks: a number's buckets, of both tables, are only
 *   written under its lock, like its messages (locks.ts);
 * - the purge: forgetOldActivity drops buckets no reader sums any more, recountActivity rebuilds a number's
 *   recent buckets from its messages after it deleted recent ones (the per-number cap, a retired number).
 *
 * "The last 24 h" is the buckets from the one holding the moment 24 h ago: every message of the last 24 h, and
 * those of at most one hour before. That is fine for what the count is for, telling a busy number from a quiet
 * one, and a reader sums at most 25 rows a number however busy it is (at 1M messages, 15-minute buckets, ~100
 * rows a number, made a country's counts 2× slower on PGlite and 7× on Postgres, for a precision nobody reads).
 */

// Buckets a reader may still sum: the day, its partial first hour, and an hour for instances whose clocks
// disagree. Older ones are dropped by the purge.
const KEPT_MS = 26 * HOUR_MS;

/** Adds the messages selected by `where` to their numbers' buckets: one statement, whatever their count. */
function addArrivals(db: Db, where: SQL | undefined) {
  return db
    .insert(numberActivity)
    .select((qb) =>
      qb
        .select({
          number: messages.number,
          bucket: bucketOf(messages.createdAt).as("bucket"),
          messages: sql<number>`count(*)::int`.as("messages"),
        })
        .from(messages)
        .where(where)
        .groupBy(messages.number, bucketOf(messages.createdAt)),
    )
    .onConflictDoUpdate({
      target: [numberActivity.number, numberActivity.bucket],
      set: { messages: sql`${numberActivity.messages} + excluded.messages` },
    });
}

/**
 * Records messages just stored, in the transaction that stored them, after their numbers were locked: each
 * counted in its number's bucket by its own created_at (the clock the purge recounts by), and each number's last
 * message moved on. One statement, whatever their count.
 */
export async function recordArrivals(
  tx: Db,
  arrived: readonly { id: number; number: string; createdAt: Date; service: string | null; sender: string }[],
): Promise<void> {
  if (arrived.length === 0) return;
  const rows = sql.join(
    arrived.map(
      (m) => sql`(${m.number}::text, ${m.id}::bigint, ${moment(m.createdAt)}, ${m.service}::text, ${m.sender}::text)`,
    ),
    sql`, `,
  );
  await tx.execute(
    sql`with arrived(number, id, at, service, sender) as (values ${rows}), ${arrivalsRecorded(sql.raw("arrived"))} select 1`,
  );
}

/**
 * The same as common table expressions of a larger statement (lib/ingest/store.ts: the INSERT that stored the
 * messages), over `arrived`, a relation of the statement with columns (number, id, at, service, sender). Adds
 * `counted`, `services_counted` (service-activity.ts) and `touched`.
 */
export function arrivalsRecorded(arrived: SQL): SQL {
  const column = (c: { name: string }) => sql.identifier(c.name);
  return sql`counted as (
      insert into ${numberActivity} (${column(numberActivity.number)}, ${column(numberActivity.bucket)}, ${column(numberActivity.messages)})
      select number, ${bucketOf(sql.raw("at"))}, count(*)::int from ${arrived} group by 1, 2
      on conflict (${column(numberActivity.number)}, ${column(numberActivity.bucket)})
      do update set ${column(numberActivity.messages)} = ${numberActivity.messages} + excluded.${column(numberActivity.messages)}
    ),
    ${serviceArrivalsRecorded(arrived)},
    touched as (
      update ${numbers} set ${column(numbers.lastMessageAt)} = greatest(${numbers.lastMessageAt}, latest.at),
        ${column(numbers.lastMessageId)} = greatest(${numbers.lastMessageId}, latest.id)
      from (select number, max(at) as at, max(id) as id from ${arrived} group by number) latest
      where ${numbers.number} = latest.number
    )`;
}

/**
 * How many messages a number received since `since` (hidden ones included: it counts arrivals), as a column of
 * a query over `numbers`: a range of the primary key, at most 25 rows.
 */
export function messagesSince(since: Date): SQL<number> {
  // Qualified by hand: drizzle leaves column names bare in a query without joins, and "number" is in both tables.
  return sql<number>`(select coalesce(sum(a.messages), 0)::int from ${numberActivity} a
    where a.number = ${numbers}.number and a.bucket >= ${bucketOf(moment(since))})`;
}

/** The first bucket still kept at `now`. */
function keptFrom(now: Date): SQL {
  return bucketOf(moment(new Date(now.getTime() - KEPT_MS)));
}

/** Drops the buckets no reader sums any more, every number's at once (a few hours' worth per purge). */
export async function forgetOldActivity(db: Db, now: Date): Promise<void> {
  await db.delete(numberActivity).where(lt(numberActivity.bucket, keptFrom(now)));
  await forgetOldServiceActivity(db, now);
}

/**
 * Rebuilds a number's kept buckets, of both tables, from its messages, after the purge deleted recent ones. Under the number's
 * lock, like a store: a store in flight commits first (its messages and buckets both), and a store that comes
 * later adds to the recounted buckets; either way each message is counted once.
 */
export async function recountActivity(db: Db, number: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await lockNumbers(tx, [number]);
    const from = keptFrom(now);
    await tx.delete(numberActivity).where(and(eq(numberActivity.number, number), gte(numberActivity.bucket, from)));
    await addArrivals(tx, and(eq(messages.number, number), gte(messages.createdAt, from)));
    await recountServiceActivity(tx, number, now);
  });
}

/**
 * Recounts every number's buckets: once, after lib/services/backfill.ts gave messages of an older release their
 * service (the read model counts only classified messages). Number by number, each under its lock.
 */
export async function recountEveryNumber(db: Db, now: Date): Promise<void> {
  for (const { number } of await db.select({ number: numbers.number }).from(numbers)) {
    await recountActivity(db, number, now);
  }
}
