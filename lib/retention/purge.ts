import { and, eq, inArray, isNotNull, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { inboundQuarantine, messageParts, messages, numbers, reports } from "@/db/schema";

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

/**
 * Deletes what the retention policy no longer keeps: messages older than the retention period (by our clock,
 * never the source's), messages beyond the per-number cap (oldest first), every message of a retired number,
 * joined parts past the period, and quarantined requests and visitors' reports past theirs (the operator's
 * longer period). Works in short batches until done.
 */
export async function purge(db: Db, policy: RetentionPolicy, now = new Date()): Promise<PurgeReport> {
  const cutoff = new Date(now.getTime() - policy.retentionDays * DAY_MS);
  const report: PurgeReport = { expired: 0, overCap: 0, retired: 0, parts: 0, quarantine: 0, reports: 0 };

  report.expired = await inBatches(policy.batchSize, (limit) =>
    deleteMessages(db, lt(messages.createdAt, cutoff), limit),
  );

  const retired = db.select({ number: numbers.number }).from(numbers).where(eq(numbers.status, "retired"));
  report.retired = await inBatches(policy.batchSize, (limit) => deleteMessages(db, inArray(messages.number, retired), limit));

  const crowded = await db
    .select({ number: messages.number })
    .from(messages)
    .groupBy(messages.number)
    .having(sql`count(*) > ${policy.maxMessagesPerNumber}`);
  for (const { number } of crowded) {
    // The id of the newest message that falls outside the cap: it and everything older go.
    const [edge] = await db
      .select({ id: messages.id })
      .from(messages)
      .where(eq(messages.number, number))
      .orderBy(sql`${messages.id} desc`)
      .offset(policy.maxMessagesPerNumber)
      .limit(1);
    if (!edge) continue;
    report.overCap += await inBatches(policy.batchSize, (limit) =>
      deleteMessages(db, and(eq(messages.number, number), sql`${messages.id} <= ${edge.id}`)!, limit),
    );
  }

  report.parts = await inBatches(policy.batchSize, async (limit) => {
    const rows = await db.execute<{ id: number }>(sql`
      delete from ${messageParts} where ${messageParts.id} in (
        select ${messageParts.id} from ${messageParts}
        where ${isNotNull(messageParts.messageId)} and ${lt(messageParts.createdAt, cutoff)} limit ${limit})
      returning ${messageParts.id}`);
    return countOf(rows);
  });

  const quarantineCutoff = new Date(now.getTime() - policy.quarantineDays * DAY_MS);
  report.quarantine = await inBatches(policy.batchSize, async (limit) => {
    const rows = await db.execute<{ id: number }>(sql`
      delete from ${inboundQuarantine} where ${inboundQuarantine.id} in (
        select ${inboundQuarantine.id} from ${inboundQuarantine}
        where ${lt(inboundQuarantine.createdAt, quarantineCutoff)} limit ${limit})
      returning ${inboundQuarantine.id}`);
    return countOf(rows);
  });
  // Visitors' reports are for the operator, like the quarantine: they share its period.
  report.reports = await inBatches(policy.batchSize, async (limit) => {
    const rows = await db.execute<{ id: number }>(sql`
      delete from ${reports} where ${reports.id} in (
        select ${reports.id} from ${reports} where ${lt(reports.createdAt, quarantineCutoff)} limit ${limit})
      returning ${reports.id}`);
    return countOf(rows);
  });
  return report;
}

async function deleteMessages(db: Db, where: ReturnType<typeof lt>, limit: number): Promise<number> {
  const rows = await db.execute<{ id: number }>(sql`
    delete from ${messages} where ${messages.id} in (
      select ${messages.id} from ${messages} where ${where} order by ${messages.id} limit ${limit})
    returning ${messages.id}`);
  return countOf(rows);
}

/** Runs a batch until it deletes less than a full batch; the total deleted. */
async function inBatches(size: number, batch: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await batch(size);
    total += n;
    if (n < size) return total;
  }
}

// PGlite answers { rows }, postgres.js an array: both are the deleted rows.
function countOf(result: unknown): number {
  if (Array.isArray(result)) return result.length;
  return (result as { rows?: unknown[] }).rows?.length ?? 0;
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
