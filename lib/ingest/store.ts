import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { gateways, messages, numbers } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { countArrivals } from "@/lib/inbox/activity";
import { toMessage, type Message } from "@/lib/inbox/message";
import { redactorFor } from "@/lib/moderation/redactions";
import { extractCode } from "@/lib/text/otp";
import { contentHash } from "./hash";
import { lockNumbers } from "./inbox-locks";
import type { MessagePart, ValidMessage } from "./message";
import { storePart } from "./parts";

export { contentHash };

export type StoreResult = {
  accepted: number;
  duplicates: number;
  // One entry per message sent, in order: the stored message's id, the earlier copy's for a duplicate, or null
  // for a part whose message is not complete yet.
  ids: (number | null)[];
  // The messages this call stored (not the duplicates): what gets published.
  stored: Message[];
};

// A modem or gateway that holds parts back gives up on the missing ones after ~10 minutes (Gammu's default).
export const DEFAULT_PARTS_WAIT_MS = 10 * 60 * 1000;

/**
 * Stores messages from one gateway in one transaction: all or nothing. A message whose source key was seen
 * before is a retry: it is counted as a duplicate, not stored again (the unique index makes this hold under
 * concurrent retries too). The same key with different content is a 409 and rolls the whole batch back.
 * Parts of a concatenated SMS are kept until their message is complete (see parts.ts).
 */
export async function storeMessages(
  db: Db,
  gatewayId: string,
  batch: ValidMessage[],
  options: { partsWaitMs?: number } = {},
): Promise<StoreResult> {
  const now = new Date();
  // Read before the transaction: PGlite has one connection, and the rules come from a short-lived cache anyway.
  const redact = await redactorFor(db);
  return db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    const result: StoreResult = { accepted: 0, duplicates: 0, ids: [], stored: [] };
    // Before any id is drawn: the cursor and the absence of deadlocks depend on it (inbox-locks.ts).
    await lockNumbers(tx, batch.map((m) => m.to));
    for (const m of batch) {
      if (m.part) {
        const outcome = await storePart(tx, gatewayId, m as ValidMessage & { part: MessagePart }, now, options.partsWaitMs ?? DEFAULT_PARTS_WAIT_MS, redact);
        if (outcome.duplicate) result.duplicates++;
        else result.accepted++;
        result.ids.push(outcome.message?.id ?? null);
        if (outcome.message && !outcome.duplicate) result.stored.push(toMessage(outcome.message));
        continue;
      }
      // The hash is of the text as sent, so a retry is recognised whatever the rules were in between.
      const hash = contentHash(m.to, m.from, m.text);
      // The operator's redaction rules: the code is taken from what is stored, so a hidden code stays hidden.
      const text = redact(m.from, m.text);
      const [row] = await tx
        .insert(messages)
        .values({
          number: m.to,
          gatewayId,
          sourceKey: m.sourceKey,
          contentHash: hash,
          sender: m.from,
          text,
          code: extractCode(text),
          segments: m.segments,
          receivedAt: m.receivedAt ?? now,
        })
        .onConflictDoNothing({ target: [messages.gatewayId, messages.sourceKey] })
        .returning();
      if (row) {
        result.accepted++;
        result.ids.push(row.id);
        result.stored.push(toMessage(row));
        continue;
      }
      const [earlier] = await tx
        .select({ id: messages.id, contentHash: messages.contentHash })
        .from(messages)
        .where(and(eq(messages.gatewayId, gatewayId), eq(messages.sourceKey, m.sourceKey!)));
      if (!earlier || earlier.contentHash !== hash) {
        throw new AppError(
          409,
          "idempotency_conflict",
          `The id '${m.sourceKey}' was already used for a different message.`,
        );
      }
      result.duplicates++;
      result.ids.push(earlier.id);
    }

    // Every message this call stored (parts joined into one included), in one statement, under the numbers' locks.
    await countArrivals(tx, result.stored.map((m) => m.id));
    const touched = [...new Set(result.stored.map((m) => m.number))];
    if (touched.length > 0) {
      await tx
        .update(numbers)
        // sql.param with the column encodes the Date as the column does: postgres.js rejects a bare Date here.
        .set({ lastMessageAt: sql`greatest(${numbers.lastMessageAt}, ${sql.param(now, numbers.lastMessageAt)})` })
        .where(inArray(numbers.number, touched));
    }
    // Last: the gateway's row comes after the numbers in the lock order.
    await tx.update(gateways).set({ lastSeenAt: now }).where(eq(gateways.id, gatewayId));
    return result;
  });
}

/** A host's "I am alive": the number pages show it as online for a while. */
export async function recordHeartbeat(db: Db, gatewayId: string): Promise<Date> {
  const now = new Date();
  await db.update(gateways).set({ lastSeenAt: now }).where(eq(gateways.id, gatewayId));
  return now;
}
