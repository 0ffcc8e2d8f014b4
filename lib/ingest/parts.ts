import { setImmediate as nextTurn } from "node:timers/promises";
import { and, asc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { messageParts, messages, type MessagePartRow, type MessageRow } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { recordArrivals } from "@/lib/inbox/activity";
import { redactorFor, type Redactor } from "@/lib/moderation/redactions";
import { lockNumbers } from "@/lib/inbox/locks";
import { contentHash } from "./hash";
import type { MessagePart, ValidMessage } from "./message";
import { messageRow } from "./message-row";

export type PartOutcome = { duplicate: boolean; message: MessageRow | null };

/** Shown where a part never arrived, so a reader sees that text is missing rather than a silently cut message. */
export const MISSING_PART = "[…]";

/**
 * Stores one part and, when it completes its message, stores the joined message — in the caller's transaction.
 * Parts are grouped by (gateway, number, sender, ref, total): a reference number is only 8 or 16 bits and recurs,
 * so a group closes once joined and a later message with the same ref starts a new one.
 */
export async function storePart(
  tx: Db,
  gatewayId: string,
  m: ValidMessage & { part: MessagePart },
  now: Date,
  waitMs: number,
  redact: Redactor,
): Promise<PartOutcome> {
  const { ref, part, total, ucs2 } = m.part;
  const ucs2Base64 = ucs2 ? Buffer.from(ucs2).toString("base64") : null;
  const hash = contentHash(m.to, m.from, `${ref}/${total}/${part}:${ucs2Base64 ?? m.text}`);
  // Without a source key, the part's content is its identity: the same part delivered twice is stored once.
  const sourceKey = m.sourceKey ?? `part:${hash}`;

  const [inserted] = await tx
    .insert(messageParts)
    .values({
      gatewayId,
      number: m.to,
      sender: m.from,
      ref,
      total,
      part,
      sourceKey,
      contentHash: hash,
      text: m.text,
      ucs2: ucs2Base64,
      receivedAt: m.receivedAt,
      expiresAt: new Date(now.getTime() + waitMs),
    })
    .onConflictDoNothing({ target: [messageParts.gatewayId, messageParts.sourceKey] })
    .returning({ id: messageParts.id });
  if (!inserted) {
    const [earlier] = await tx
      .select()
      .from(messageParts)
      .where(and(eq(messageParts.gatewayId, gatewayId), eq(messageParts.sourceKey, sourceKey)));
    if (!earlier || earlier.contentHash !== hash) {
      throw new AppError("idempotency_conflict", `The id '${sourceKey}' was already used for a different part.`);
    }
    const message = earlier.messageId ? await messageById(tx, earlier.messageId) : null;
    return { duplicate: true, message };
  }

  // Parts of one message may arrive at once on different connections: take turns per group, so that exactly
  // one of them sees the group complete.
  // JSON, not a NUL-joined string: Postgres text cannot hold NUL (22021 invalid byte sequence).
  const group = JSON.stringify([gatewayId, m.to, m.from, ref, total]);
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${group}))`);
  const pending = await pendingParts(tx, gatewayId, m.to, m.from, ref, total);
  const byPart = firstOfEachPart(pending);
  if (byPart.size < total) return { duplicate: false, message: null };
  const message = await join(tx, gatewayId, pending, byPart, total, false, redact);
  return { duplicate: false, message };
}

/**
 * Emits, as incomplete messages, every group whose wait ran out: what arrived is shown, with a marker where a
 * part is missing. Returns the messages stored (to be published after the commit).
 */
export async function emitExpiredParts(db: Db, now = new Date()): Promise<MessageRow[]> {
  const expired = await db
    .selectDistinct({
      gatewayId: messageParts.gatewayId,
      number: messageParts.number,
      sender: messageParts.sender,
      ref: messageParts.ref,
      total: messageParts.total,
    })
    .from(messageParts)
    .where(and(isNull(messageParts.messageId), lt(messageParts.expiresAt, now)))
    .limit(100);

  if (expired.length === 0) return [];
  const redact = await redactorFor(db);
  const emitted: MessageRow[] = [];
  for (const g of expired) {
    const message = await db.transaction(async (t) => {
      // Like a store: the number first, before the message draws its id (lib/inbox/locks.ts).
      await lockNumbers(t, [g.number]);
      await t.execute(
        sql`select pg_advisory_xact_lock(hashtext(${JSON.stringify([g.gatewayId, g.number, g.sender, g.ref, g.total])}))`,
      );
      const pending = await pendingParts(t, g.gatewayId, g.number, g.sender, g.ref, g.total);
      if (pending.length === 0) return null; // joined meanwhile
      const byPart = firstOfEachPart(pending);
      const joined = await join(t, g.gatewayId, pending, byPart, g.total, byPart.size < g.total, redact);
      // Here, not in join: a store records the messages its parts complete together with the rest of its batch.
      await recordArrivals(t, [joined]);
      return joined;
    });
    if (message) emitted.push(message);
    // Up to 100 transactions: on the embedded database, let the requests that arrived meanwhile run between them.
    await nextTurn();
  }
  return emitted;
}

function pendingParts(tx: Db, gatewayId: string, number: string, sender: string, ref: string, total: number) {
  return tx
    .select()
    .from(messageParts)
    .where(
      and(
        eq(messageParts.gatewayId, gatewayId),
        eq(messageParts.number, number),
        eq(messageParts.sender, sender),
        eq(messageParts.ref, ref),
        eq(messageParts.total, total),
        isNull(messageParts.messageId),
      ),
    )
    .orderBy(asc(messageParts.part), asc(messageParts.id));
}

function firstOfEachPart(parts: MessagePartRow[]): Map<number, MessagePartRow> {
  const byPart = new Map<number, MessagePartRow>();
  for (const p of parts) if (!byPart.has(p.part)) byPart.set(p.part, p);
  return byPart;
}

async function join(
  tx: Db,
  gatewayId: string,
  pending: MessagePartRow[],
  byPart: Map<number, MessagePartRow>,
  total: number,
  incomplete: boolean,
  redact: Redactor,
): Promise<MessageRow> {
  const joined = joinText(byPart, total);
  const first = pending[0]!;
  // Parts are kept as sent (until the purge); the message is what the public sees, so it is what gets redacted.
  const text = redact(first.sender, joined);
  const [message] = await tx
    .insert(messages)
    .values(
      messageRow({
        number: first.number,
        gatewayId,
        // One message per group of parts; the first part's id names it, so a retried join cannot double it.
        sourceKey: `parts:${Math.min(...pending.map((p) => p.id))}`,
        sender: first.sender,
        sent: joined,
        shown: text,
        segments: total,
        incomplete,
        receivedAt: byPart.get(1)?.receivedAt ?? first.receivedAt ?? first.createdAt,
      }),
    )
    .returning();
  await tx
    .update(messageParts)
    .set({ messageId: message!.id })
    .where(
      inArray(
        messageParts.id,
        pending.map((p) => p.id),
      ),
    );
  return message!;
}

/** Text parts are concatenated; UCS-2 parts are concatenated as bytes first, then decoded (UTF-16BE). */
export function joinText(byPart: Map<number, Pick<MessagePartRow, "text" | "ucs2">>, total: number): string {
  let out = "";
  let bytes: Buffer[] = [];
  const flush = () => {
    if (bytes.length > 0) out += new TextDecoder("utf-16be").decode(Buffer.concat(bytes));
    bytes = [];
  };
  for (let n = 1; n <= total; n++) {
    const p = byPart.get(n);
    if (p?.ucs2) {
      bytes.push(Buffer.from(p.ucs2, "base64"));
      continue;
    }
    flush();
    out += p ? p.text : MISSING_PART;
  }
  flush();
  return out;
}

async function messageById(tx: Db, id: number): Promise<MessageRow | null> {
  const [row] = await tx.select().from(messages).where(eq(messages.id, id));
  return row ?? null;
}
