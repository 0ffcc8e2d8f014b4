import { and, eq, gt, gte } from "drizzle-orm";
import type { Db } from "@/db/client";
import { serviceActivity } from "@/db/schema";
import { bucketOf, moment } from "./buckets";

/**
 * The numbers that received a message from a service since a time: which numbers work for it now. Read from the
 * read model (lib/inbox/service-activity.ts), a range of its primary key (service, bucket, number): exact, since
 * each bucket keeps its latest arrival. Hidden messages count (they arrived).
 */
export async function numbersThatReceived(db: Db, service: string, since: Date): Promise<Set<string>> {
  const a = serviceActivity;
  const rows = await db
    .selectDistinct({ number: a.number })
    .from(a)
    .where(and(eq(a.service, service), gte(a.bucket, bucketOf(moment(since))), gt(a.lastAt, moment(since))));
  return new Set(rows.map((row) => row.number));
}
