import { and, eq, gte, isNotNull, lt, ne, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { messages, serviceActivity } from "@/db/schema";
import { NOT_CLASSIFIED } from "@/lib/services/service";
import { bucketOf, HOUR_MS, moment } from "./buckets";

/*
 * The read model of a service's traffic (service_activity): arrivals per service, number and hour of our clock,
 * so that the service pages (deliverability.ts) sum a few rows per number instead of counting the week's
 * messages. Written with number_activity, by the same writers, through lib/inbox/activity.ts: in the statement or
 * transaction that stores the messages, after the numbers' locks; corrected by the purge under the number's lock.
 *
 * Hour buckets over the whole week, like number_activity's, rather than hours for the last day and days beyond:
 * at most ~170 rows per service and number, one bucket scheme, one writer statement, and the 7-day counts keep
 * number_activity's precision (the window and at most one hour more) instead of up to a day more. Each bucket
 * also keeps its latest arrival (last_at): "received it since t?" and "when last" are then exact, only the counts
 * are to the hour.
 *
 * Only classified messages are counted (a service, not NOT_CLASSIFIED): messages of an older release are added by
 * a recount once lib/services/backfill.ts has classified them (lib/server/schedule.ts).
 */

/** How far back the service pages count: 7 days (deliverability.ts). */
export const COUNTED_MS = 7 * 24 * HOUR_MS;
// Buckets a reader may still sum: the week, its partial first hour, and an hour for instances whose clocks
// disagree. Older ones are dropped by the purge.
const KEPT_MS = COUNTED_MS + 2 * HOUR_MS;

/** The first bucket still kept at `now`. */
function keptFrom(now: Date): SQL<Date> {
  return bucketOf(moment(new Date(now.getTime() - KEPT_MS)));
}

const column = (c: { name: string }) => sql.identifier(c.name);

/**
 * A common table expression `services_counted` of a larger statement (activity.ts's arrivalsRecorded: the one
 * that stores the messages, or records them after): adds `arrived`'s messages, a relation with columns (number,
 * at, service, sender), to their buckets. An addition on conflict, so that concurrent stores to the same service,
 * number and hour add up exactly on both drivers.
 */
export function serviceArrivalsRecorded(arrived: SQL): SQL {
  const a = serviceActivity;
  return sql`services_counted as (
      insert into ${a} (${column(a.service)}, ${column(a.number)}, ${column(a.bucket)}, ${column(a.arrivals)}, ${column(a.lastAt)}, ${column(a.sender)})
      select service, number, ${bucketOf(sql.raw("at"))}, count(*)::int, max(at), max(sender) from ${arrived}
      where service is not null and service <> ${NOT_CLASSIFIED}
      group by 1, 2, 3
      on conflict (${column(a.service)}, ${column(a.bucket)}, ${column(a.number)}) do update set
        ${column(a.arrivals)} = ${a.arrivals} + excluded.${column(a.arrivals)},
        ${column(a.lastAt)} = greatest(${a.lastAt}, excluded.${column(a.lastAt)}),
        ${column(a.sender)} = greatest(${a.sender}, excluded.${column(a.sender)})
    )`;
}

/** Drops the buckets no reader sums any more, every service's and number's at once. */
export async function forgetOldServiceActivity(db: Db, now: Date): Promise<void> {
  await db.delete(serviceActivity).where(lt(serviceActivity.bucket, keptFrom(now)));
}

/**
 * Rebuilds a number's kept buckets from its messages (hidden ones included: arrivals), in the caller's
 * transaction, which holds the number's lock (activity.ts's recountActivity): a range of (number, created_at).
 */
export async function recountServiceActivity(tx: Db, number: string, now: Date): Promise<void> {
  const from = keptFrom(now);
  await tx.delete(serviceActivity).where(and(eq(serviceActivity.number, number), gte(serviceActivity.bucket, from)));
  await tx.insert(serviceActivity).select((qb) =>
    qb
      .select({
        service: sql<string>`${messages.service}`.as("service"),
        number: messages.number,
        bucket: bucketOf(messages.createdAt).as("bucket"),
        arrivals: sql<number>`count(*)::int`.as("arrivals"),
        lastAt: sql<Date>`max(${messages.createdAt})`.as("last_at"),
        sender: sql<string>`max(${messages.sender})`.as("sender"),
      })
      .from(messages)
      .where(
        and(
          eq(messages.number, number),
          gte(messages.createdAt, from),
          isNotNull(messages.service),
          ne(messages.service, NOT_CLASSIFIED),
        ),
      )
      .groupBy(messages.service, messages.number, bucketOf(messages.createdAt)),
  );
}
