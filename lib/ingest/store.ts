import { and, eq, inArray } from "drizzle-orm";
import { isEmbedded, type Db } from "@/db/client";
import { gateways, messages, type MessageRow } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { recordArrivals } from "@/lib/inbox/activity";
import { toMessage, type Message } from "@/lib/inbox/message";
import { redactorFor, type Redactor } from "@/lib/moderation/redactions";
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
 *
 * Statements, whatever the batch's size: the numbers' lock, one INSERT of every whole message, one look at the
 * earlier copies of the duplicates (only when there are some), one for the numbers' counts and last message, and
 * now and then the gateway's last-seen time. Parts, rare, are stored one by one.
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
  const embedded = isEmbedded(db);
  return db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    // Before any id is drawn: the cursor and the absence of deadlocks depend on it (inbox-locks.ts). The
    // embedded database runs one transaction at a time: there, it would be a statement for nothing.
    if (!embedded) await lockNumbers(tx, batch.map((m) => m.to));
    const outcomes: Outcome[] = await storeWhole(tx, gatewayId, batch, now, redact);
    for (const [i, m] of batch.entries()) {
      if (!m.part) continue;
      const outcome = await storePart(tx, gatewayId, m as ValidMessage & { part: MessagePart }, now, options.partsWaitMs ?? DEFAULT_PARTS_WAIT_MS, redact);
      outcomes[i] = { id: outcome.message?.id ?? null, duplicate: outcome.duplicate, row: outcome.duplicate ? null : outcome.message };
    }
    const stored = outcomes.flatMap((o) => (o.row ? [o.row] : []));
    // Every message this call stored (parts joined into one included), under the numbers' locks.
    await recordArrivals(tx, stored);
    // Last: the gateway's row comes after the numbers in the lock order.
    await recordSeen(tx, gatewayId, now);
    const duplicates = outcomes.filter((o) => o.duplicate).length;
    return { accepted: batch.length - duplicates, duplicates, ids: outcomes.map((o) => o.id), stored: stored.map(toMessage) };
  });
}

// What became of one message of a batch: the row it stored (null for a duplicate or an incomplete part), and
// the id to answer with.
type Outcome = { id: number | null; duplicate: boolean; row: MessageRow | null };

/**
 * The whole messages of a batch (parts are left as holes in the outcomes), in one multi-row INSERT … ON CONFLICT
 * DO NOTHING: what it did not insert is a retry of a stored message, or a key reused within the batch, and the
 * earlier copies are read in one query to tell a retry (same content) from a conflict (409).
 */
async function storeWhole(tx: Db, gatewayId: string, batch: ValidMessage[], now: Date, redact: Redactor): Promise<Outcome[]> {
  const outcomes = new Array<Outcome>(batch.length);
  const whole = batch.flatMap((m, i) => {
    if (m.part) return [];
    // The operator's redaction rules: the code is taken from what is stored, so a hidden code stays hidden.
    const text = redact(m.from, m.text);
    // The hash is of the text as sent, so a retry is recognised whatever the rules were in between.
    const row = {
      number: m.to,
      gatewayId,
      sourceKey: m.sourceKey,
      contentHash: contentHash(m.to, m.from, m.text),
      sender: m.from,
      text,
      code: extractCode(text),
      segments: m.segments,
      receivedAt: m.receivedAt ?? now,
    };
    return [{ i, row }];
  });
  if (whole.length === 0) return outcomes;

  const inserted = await tx
    .insert(messages)
    .values(whole.map((w) => w.row))
    .onConflictDoNothing({ target: [messages.gatewayId, messages.sourceKey] })
    .returning();
  // Rows come back keyed by source key; those without one (never a conflict) by id, which the rows draw in the
  // order they are listed.
  const byKey = new Map(inserted.filter((r) => r.sourceKey !== null).map((r) => [r.sourceKey!, r]));
  const unkeyed = inserted.filter((r) => r.sourceKey === null).sort((a, b) => a.id - b.id);
  const retried: typeof whole = [];
  for (const w of whole) {
    const row = w.row.sourceKey === null ? unkeyed.shift() : byKey.get(w.row.sourceKey);
    if (row) {
      outcomes[w.i] = { id: row.id, duplicate: false, row };
      // A key listed again later in the batch is a duplicate of this row, which the read below also finds.
      if (w.row.sourceKey !== null) byKey.delete(w.row.sourceKey);
    } else {
      retried.push(w);
    }
  }
  if (retried.length === 0) return outcomes;

  const earlier = await tx
    .select({ id: messages.id, sourceKey: messages.sourceKey, contentHash: messages.contentHash })
    .from(messages)
    .where(and(eq(messages.gatewayId, gatewayId), inArray(messages.sourceKey, [...new Set(retried.map((w) => w.row.sourceKey!))])));
  const earlierByKey = new Map(earlier.map((e) => [e.sourceKey!, e]));
  for (const w of retried) {
    const copy = earlierByKey.get(w.row.sourceKey!);
    if (!copy || copy.contentHash !== w.row.contentHash) {
      throw new AppError(409, "idempotency_conflict", `The id '${w.row.sourceKey}' was already used for a different message.`);
    }
    outcomes[w.i] = { id: copy.id, duplicate: true, row: null };
  }
  return outcomes;
}

// A host that sends is online: its last-seen time is written at most this often per process, so that a
// gateway's requests neither queue on its row nor pay a statement each (the host shows offline only after
// minutes of silence).
const LAST_SEEN_STEP_MS = 5_000;
const lastSeenWritten = new Map<string, number>();

/** The gateway's last-seen time, when this process has not written it for a while: after the numbers' rows. */
async function recordSeen(tx: Db, gatewayId: string, now: Date): Promise<void> {
  const written = lastSeenWritten.get(gatewayId);
  if (written !== undefined && now.getTime() - written < LAST_SEEN_STEP_MS) return;
  await tx.update(gateways).set({ lastSeenAt: now }).where(eq(gateways.id, gatewayId));
  lastSeenWritten.set(gatewayId, now.getTime());
}

/** A host's "I am alive": the number pages show it as online for a while. */
export async function recordHeartbeat(db: Db, gatewayId: string): Promise<Date> {
  const now = new Date();
  await db.update(gateways).set({ lastSeenAt: now }).where(eq(gateways.id, gatewayId));
  return now;
}
