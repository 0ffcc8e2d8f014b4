import { setImmediate as yieldToRequests } from "node:timers/promises";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import { isEmbedded, type Db } from "@/db/client";
import { messages } from "@/db/schema";
import { NOT_CLASSIFIED, serviceOf } from "./service";

// Rows classified per statement. Small on the embedded database, which runs on the thread that serves requests
// (like the purge's batches): a request waits for one batch, not the whole backfill.
const BATCH = { embedded: 500, postgres: 2000 };

/**
 * Gives the messages stored before services existed (migration 0008 left them NOT_CLASSIFIED) their service, with
 * the same catalogue and rule as the store (`serviceOf`). Run at start; returns how many it classified.
 *
 * In TypeScript rather than in the migration's SQL: the rule is the catalogue's regular expressions and
 * normalisations, which SQL would have to copy (and the copy would drift); this one is the rule itself. It walks
 * the messages by id (the primary key) a batch at a time, and touches only rows still NOT_CLASSIFIED, so instances
 * that start together, or a start interrupted halfway, do no harm: a row gets the same value whoever writes it.
 */
export async function classifyOldMessages(db: Db): Promise<number> {
  const size = isEmbedded(db) ? BATCH.embedded : BATCH.postgres;
  let classified = 0;
  for (let after = 0; ;) {
    const rows = await db
      .select({ id: messages.id, sender: messages.sender, text: messages.text })
      .from(messages)
      .where(and(gt(messages.id, after), eq(messages.service, NOT_CLASSIFIED)))
      .orderBy(asc(messages.id))
      .limit(size);
    if (rows.length === 0) return classified;
    const values = sql.join(
      rows.map((r) => sql`(${r.id}::bigint, ${serviceOf(r.sender, r.text)}::text)`),
      sql`, `,
    );
    await db.execute(sql`
      update ${messages} set service = v.service
      from (values ${values}) as v(id, service)
      where ${messages.id} = v.id and ${messages.service} = ${NOT_CLASSIFIED}`);
    classified += rows.length;
    after = rows.at(-1)!.id;
    await yieldToRequests();
  }
}
