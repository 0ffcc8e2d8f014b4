import { setImmediate as nextTurn } from "node:timers/promises";
import { and, desc, eq, inArray, isNotNull, lt, sql } from "drizzle-orm";
import { isEmbedded, maintainEmbedded, rowsOf, type Db } from "@/db/client";
import { inboundQuarantine, messageParts, messages, numbers, reports } from "@/db/schema";
import { forgetOldActivity, recountActivity } from "@/lib/inbox/activity";
import { COUNTED_MS } from "@/lib/inbox/service-activity";
import { metrics } from "@/lib/observability/metrics";

export type RetentionPolicy = {
  retentionDays: number;
  maxMessagesPerNumber: number;
  quarantineDays: number;
  // Rows deleted per statement: short transactions, so ingestion and page views never wait long behind a purge.
  batchSize: number;
};

export type PurgeReport = {
  expired: number;
  overCap: number;
  retired: number;
  parts: number;
  quarantine: number;
  reports: number;
};

const DAY_MS = 24 * 60 * 60 * 1000;
// On the embedded database a delete of 1000 messages holds the thread 15–35 ms, one of 500 about 9 ms (measured
// at 300k rows, BENCHMARKS.md): a request waits about that long for the purge at each of its steps.
const EMBEDDED_BATCH_SIZE = 500;

/**
 * Deletes what the retention policy no longer keeps: messages older than the retention period (by our clock,
 * never the source's), messages beyond the per-number cap (oldest first), every message of a retired number,
 * joined parts past the period, and quarantined requests and visitors' reports past theirs (the operator's
 * longer period). Works in short batches until done. Corrects the read model (lib/inbox/activity.ts: the
 * numbers' and the services' buckets) as it goes; on the embedded database, when it deleted anything, does what autovacuum would (VACUUM, ANALYZE).
 */
export async function purge(db: Db, policy: RetentionPolicy, now = new Date()): Promise<PurgeReport> {
  const cutoff = new Date(now.getTime() - policy.retentionDays * DAY_MS);
  const report: PurgeReport = { expired: 0, overCap: 0, retired: 0, parts: 0, quarantine: 0, reports: 0 };
  const batchSize = isEmbedded(db) ? Math.min(policy.batchSize, EMBEDDED_BATCH_SIZE) : policy.batchSize;
  const inBatches = (batch: (limit: number) => Promise<number>) => batched(batchSize, batch);

  // Numbers that lost messages that may be recent: their activity is recounted below.
  const recount = new Set<string>();
  // Expired messages are older than the day number_activity counts (lib/inbox/activity.ts), but for the hour of
  // its first bucket at RETENTION_DAYS=1: within the precision it promises. They are older than the week the
  // service pages count (lib/inbox/service-activity.ts) too, unless the operator keeps messages less than a week:
  // then their numbers are recounted, so that a service's 7-day count is what the site still holds, as it was
  // when the pages counted messages.
  // Oldest first by created_at, the column of the condition: its index then finds a batch and stops, whatever the
  // statistics say (by id, a planner that believes few rows are old reads all of them for every batch).
  const expiresCounted = policy.retentionDays * DAY_MS < COUNTED_MS;
  report.expired = await inBatches((limit) =>
    deleteMessages(db, lt(messages.createdAt, cutoff), messages.createdAt, limit, expiresCounted ? recount : undefined),
  );

  const retired = db.select({ number: numbers.number }).from(numbers).where(eq(numbers.status, "retired"));
  report.retired = await inBatches((limit) =>
    deleteMessages(db, inArray(messages.number, retired), messages.id, limit, recount),
  );

  // Number by number, each reading only that number's messages (about the cap, once the purge has run), rather
  // than counting the whole table in one statement: 80–140 ms at 300k rows on the embedded database, all of it
  // holding up requests, every time the purge runs.
  for (const { number } of await db.select({ number: numbers.number }).from(numbers)) {
    // The id of the newest message that falls outside the cap: it and everything older go.
    const [edge] = await db
      .select({ id: messages.id })
      .from(messages)
      .where(eq(messages.number, number))
      .orderBy(desc(messages.id))
      .offset(policy.maxMessagesPerNumber)
      .limit(1);
    if (edge) {
      report.overCap += await inBatches((limit) =>
        deleteMessages(
          db,
          and(eq(messages.number, number), sql`${messages.id} <= ${edge.id}`)!,
          messages.id,
          limit,
          recount,
        ),
      );
    }
    if (recount.has(number)) await recountActivity(db, number, now);
    await nextTurn();
  }
  await forgetOldActivity(db, now);

  report.parts = await inBatches(async (limit) => {
    const rows = await db.execute<{ id: number }>(sql`
      delete from ${messageParts} where ${messageParts.id} in (
        select ${messageParts.id} from ${messageParts}
        where ${isNotNull(messageParts.messageId)} and ${lt(messageParts.createdAt, cutoff)} limit ${limit})
      returning ${messageParts.id}`);
    return countOf(rows);
  });

  const quarantineCutoff = new Date(now.getTime() - policy.quarantineDays * DAY_MS);
  report.quarantine = await inBatches(async (limit) => {
    const rows = await db.execute<{ id: number }>(sql`
      delete from ${inboundQuarantine} where ${inboundQuarantine.id} in (
        select ${inboundQuarantine.id} from ${inboundQuarantine}
        where ${lt(inboundQuarantine.createdAt, quarantineCutoff)} limit ${limit})
      returning ${inboundQuarantine.id}`);
    return countOf(rows);
  });
  // Visitors' reports are for the operator, like the quarantine: they share its period.
  report.reports = await inBatches(async (limit) => {
    const rows = await db.execute<{ id: number }>(sql`
      delete from ${reports} where ${reports.id} in (
        select ${reports.id} from ${reports} where ${lt(reports.createdAt, quarantineCutoff)} limit ${limit})
      returning ${reports.id}`);
    return countOf(rows);
  });
  if (Object.values(report).some((deleted) => deleted > 0)) await maintainEmbedded(db, { vacuum: true });
  metrics().purgeRuns.inc();
  for (const [what, deleted] of Object.entries(report)) metrics().purgedRows.inc({ what }, deleted);
  return report;
}

/** Deletes a batch of messages, the first by `order`; how many. Their numbers are added to `numbers` when given. */
async function deleteMessages(
  db: Db,
  where: ReturnType<typeof lt>,
  order: typeof messages.id | typeof messages.createdAt,
  limit: number,
  numbers?: Set<string>,
): Promise<number> {
  const result = await db.execute<{ number: string }>(sql`
    delete from ${messages} where ${messages.id} in (
      select ${messages.id} from ${messages} where ${where} order by ${order} limit ${limit})
    returning ${messages.number}`);
  const rows = rowsOf<{ number: string }>(result);
  for (const row of rows) numbers?.add(row.number);
  return rows.length;
}

/**
 * Runs a batch until it deletes less than a full batch; the total deleted. A turn of the event loop after each,
 * so that requests that arrived meanwhile are read and get their turn at the database (on the embedded one,
 * the purge would otherwise hold the thread from its first batch to its last).
 */
async function batched(size: number, batch: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await batch(size);
    total += n;
    if (n < size) return total;
    await nextTurn();
  }
}

function countOf(result: unknown): number {
  return rowsOf(result).length;
}

/** The policy as the operator configured it. */
export function policyFrom(env: {
  RETENTION_DAYS: number;
  MAX_MESSAGES_PER_NUMBER: number;
  QUARANTINE_RETENTION_DAYS: number;
  PURGE_BATCH_SIZE: number;
}): RetentionPolicy {
  return {
    retentionDays: env.RETENTION_DAYS,
    maxMessagesPerNumber: env.MAX_MESSAGES_PER_NUMBER,
    quarantineDays: env.QUARANTINE_RETENTION_DAYS,
    batchSize: env.PURGE_BATCH_SIZE,
  };
}
