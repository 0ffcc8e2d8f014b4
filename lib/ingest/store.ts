import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { gateways, messages, numbers } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { toMessage, type Message } from "@/lib/inbox/message";
import { extractCode } from "@/lib/text/otp";
import type { ValidMessage } from "./message";

export type StoreResult = {
  accepted: number;
  duplicates: number;
  // One id per message sent, in order: the stored message's id, or the earlier copy's for a duplicate.
  ids: number[];
  // The messages this call stored (not the duplicates): what gets published.
  stored: Message[];
};

/** What makes two deliveries "the same message", so a reused id with other content is caught. */
export function contentHash(to: string, from: string, text: string): string {
  return createHash("sha256").update(JSON.stringify([to, from, text])).digest("hex");
}

/**
 * Stores messages from one gateway in one transaction: all or nothing. A message whose source key was seen
 * before is a retry: it is counted as a duplicate, not stored again (the unique index makes this hold under
 * concurrent retries too). The same key with different content is a 409 and rolls the whole batch back.
 */
export async function storeMessages(db: Db, gatewayId: string, batch: ValidMessage[]): Promise<StoreResult> {
  const now = new Date();
  return db.transaction(async (tx) => {
    const result: StoreResult = { accepted: 0, duplicates: 0, ids: [], stored: [] };
    for (const m of batch) {
      const hash = contentHash(m.to, m.from, m.text);
      const [row] = await tx
        .insert(messages)
        .values({
          number: m.to,
          gatewayId,
          sourceKey: m.sourceKey,
          contentHash: hash,
          sender: m.from,
          text: m.text,
          code: extractCode(m.text),
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

    const touched = [...new Set(result.stored.map((m) => m.number))];
    for (const number of touched) {
      await tx
        .update(numbers)
        // sql.param with the column encodes the Date as the column does: postgres.js rejects a bare Date here.
        .set({ lastMessageAt: sql`greatest(${numbers.lastMessageAt}, ${sql.param(now, numbers.lastMessageAt)})` })
        .where(eq(numbers.number, number));
    }
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
