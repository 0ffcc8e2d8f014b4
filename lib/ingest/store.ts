import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import { arrayLiteral, arrayParam } from "@/db/array-param";
import { isEmbedded, PreparedStatement, rowsOf, type Db } from "@/db/client";
import { gateways, messages } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { arrivalsRecorded, recordArrivals } from "@/lib/inbox/activity";
import { lockNumbers, numbersLocked, numbersToLock } from "@/lib/inbox/locks";
import { messageOf, toMessage, type Message } from "@/lib/inbox/message";
import { redactorFor, type Redactor } from "@/lib/moderation/redactions";
import type { MessagePart, ValidMessage } from "./message";
import { messageRow, type NewMessageRow } from "./message-row";
import { storePart } from "./parts";

export type StoreResult = {
  accepted: number;
  duplicates: number;
  // One entry per message sent, in order: the stored message's id, the earlier copy's for a duplicate, or null
  // for a part whose message is not complete yet.
  ids: (number | null)[];
  // The messages this call stored (not the duplicates): what gets published.
  stored: Message[];
  // Per number this call stored to, the id of the message it got just before (0 for none), where the store knows
  // it: no other message of the number lies between that one and these (lib/live/inboxes.ts delivers on this).
  before: Map<string, number>;
};

// A modem or gateway that holds parts back gives up on the missing ones after ~10 minutes (Gammu's default).
export const DEFAULT_PARTS_WAIT_MS = 10 * 60 * 1000;

/**
 * Stores messages from one gateway: all or nothing. A message whose source key was seen before is a retry: it is
 * counted as a duplicate, not stored again (the unique index makes this hold under concurrent retries too). The
 * same key with different content is a 409 and stores nothing of the batch. Parts of a concatenated SMS are kept
 * until their message is complete (see parts.ts).
 *
 * Whole messages, what nearly every request carries, whatever their number: the gateway's last-seen time now and
 * then, on its own and first (should it fail, nothing is stored yet and the sender's retry is safe), then one
 * statement that locks the numbers, inserts every message, records them (counts, last message) and fails on a
 * conflict, which makes it all or nothing by itself; then, only when there are duplicates, one look at their
 * earlier copies' ids. No transaction around them: BEGIN and COMMIT were two more round trips, and the numbers'
 * locks were held across the second and whatever else the event loop had to do first, so that batches to the
 * same numbers waited for them. Parts, rare, are stored one by one in a transaction with the rest.
 */
export async function storeMessages(
  db: Db,
  gatewayId: string,
  batch: ValidMessage[],
  options: { partsWaitMs?: number } = {},
): Promise<StoreResult> {
  const now = new Date();
  // Read before the store: PGlite has one connection, and the rules come from a short-lived cache anyway.
  const redact = await redactorFor(db);
  const embedded = isEmbedded(db);
  if (!batch.some((m) => m.part)) {
    await recordSeen(db, gatewayId, now);
    const { outcomes, before } = await storeWhole(db, gatewayId, batch, now, redact, !embedded);
    return resultOf(outcomes, before);
  }
  return db.transaction(async (tx) => {
    // Before any id is drawn: the cursor and the absence of deadlocks depend on it (lib/inbox/locks.ts); the parts
    // are stored one by one, after the whole messages. The embedded database runs one transaction at a time:
    // there, it would be work for nothing.
    if (!embedded)
      await lockNumbers(
        tx,
        batch.map((m) => m.to),
      );
    const { outcomes, before } = await storeWhole(tx, gatewayId, batch, now, redact, false);
    for (const [i, m] of batch.entries()) {
      if (!m.part) continue;
      const outcome = await storePart(
        tx,
        gatewayId,
        m as ValidMessage & { part: MessagePart },
        now,
        options.partsWaitMs ?? DEFAULT_PARTS_WAIT_MS,
        redact,
      );
      const joined = outcome.duplicate || !outcome.message ? null : outcome.message;
      outcomes[i] = {
        id: outcome.message?.id ?? null,
        duplicate: outcome.duplicate,
        message: joined && toMessage(joined),
      };
      // The message its parts complete, under the numbers' locks.
      if (joined) await recordArrivals(tx, [joined]);
    }
    // Last: the gateway's row comes after the numbers in the lock order.
    await recordSeen(tx, gatewayId, now);
    return resultOf(outcomes, before);
  });
}

function resultOf(outcomes: Outcome[], before: Map<string, number>): StoreResult {
  const duplicates = outcomes.filter((o) => o.duplicate).length;
  const stored = outcomes.flatMap((o) => (o.message ? [o.message] : []));
  return { accepted: outcomes.length - duplicates, duplicates, ids: outcomes.map((o) => o.id), stored, before };
}

// What became of one message of a batch: the message it stored (null for a duplicate or an incomplete part), and
// the id to answer with.
type Outcome = { id: number | null; duplicate: boolean; message: Message | null };

/**
 * The whole messages of a batch (parts are left as holes in the outcomes), in one statement: the numbers' lock
 * (unless the caller holds it), a multi-row INSERT … ON CONFLICT, and the bookkeeping of what it inserted
 * (lib/inbox/activity.ts). A key stored before with other content fails the statement (a 409); one stored with
 * the same content is a retry, not inserted, whose earlier copy's id is read afterwards in one query. A key
 * listed twice in the batch goes in once: the second listing is a duplicate of the first, or a 409.
 */
async function storeWhole(
  tx: Db,
  gatewayId: string,
  batch: ValidMessage[],
  now: Date,
  redact: Redactor,
  lock: boolean,
): Promise<{ outcomes: Outcome[]; before: Map<string, number> }> {
  const outcomes = new Array<Outcome>(batch.length);
  const before = new Map<string, number>();
  // The first listing of each key, which is inserted; what lists a key again, with the listing it repeats.
  const firsts = new Map<string, Whole>();
  const whole: Whole[] = [];
  const repeats: [Whole, Whole][] = [];
  for (const [i, m] of batch.entries()) {
    if (m.part) continue;
    const row = messageRow({
      number: m.to,
      gatewayId,
      sourceKey: m.sourceKey,
      sender: m.from,
      sent: m.text,
      shown: redact(m.from, m.text),
      segments: m.segments,
      receivedAt: m.receivedAt ?? now,
    });
    const w = { i, m, row };
    const first = m.sourceKey === null ? undefined : firsts.get(m.sourceKey);
    if (!first) {
      if (m.sourceKey !== null) firsts.set(m.sourceKey, w);
      whole.push(w);
    } else if (first.row.contentHash === row.contentHash) repeats.push([w, first]);
    else throw conflict(m.sourceKey!);
  }
  if (whole.length === 0) return { outcomes, before };

  const { shape, values } = storingOf(
    whole.map((w) => w.row),
    lock,
  );
  const inserted = rowsOf<InsertedRow>(
    await preparedStoring(shape)
      .run(tx, values)
      .catch((error: unknown) => {
        throw conflictOf(error) ?? error;
      }),
  );
  for (const row of inserted) before.set(row.number, Number(row.before_id ?? 0));
  const stored = inserted.map(toStoredMessage);

  // Rows come back keyed by source key; those without one (never a retry) by id, which the rows draw in the order
  // they are listed.
  const byKey = new Map(stored.filter((r) => r.sourceKey !== null).map((r) => [r.sourceKey!, r]));
  const unkeyed = stored.filter((r) => r.sourceKey === null).sort((a, b) => a.message.id - b.message.id);
  const retried: Whole[] = [];
  for (const w of whole) {
    const row = w.m.sourceKey === null ? unkeyed.shift() : byKey.get(w.m.sourceKey);
    if (row) outcomes[w.i] = { id: row.message.id, duplicate: false, message: row.message };
    else retried.push(w);
  }
  if (retried.length > 0) {
    const earlier = await tx
      .select({ id: messages.id, sourceKey: messages.sourceKey })
      .from(messages)
      .where(
        and(
          eq(messages.gatewayId, gatewayId),
          inArray(
            messages.sourceKey,
            retried.map((w) => w.m.sourceKey!),
          ),
        ),
      );
    const earlierIds = new Map(earlier.map((e) => [e.sourceKey!, e.id]));
    // The statement found each copy with the same content: one that is gone since was deleted in between (the
    // operator, or the retention purge), and its id is no more.
    for (const w of retried)
      outcomes[w.i] = { id: earlierIds.get(w.m.sourceKey!) ?? null, duplicate: true, message: null };
  }
  for (const [w, first] of repeats) outcomes[w.i] = { id: outcomes[first.i]!.id, duplicate: true, message: null };
  return { outcomes, before };
}

type Whole = { i: number; m: ValidMessage; row: NewMessageRow };

function conflict(sourceKey: string): AppError {
  return new AppError("idempotency_conflict", `The id '${sourceKey}' was already used for a different message.`);
}

/** The storing statement's own error for a key stored before with other content (migration 0012), as a 409. */
function conflictOf(error: unknown): AppError | null {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const { code, detail } = e as { code?: unknown; detail?: unknown };
    if (code === CONFLICT_SQLSTATE) return conflict(String(detail));
  }
  return null;
}

const CONFLICT_SQLSTATE = "NB409";

// The columns a store writes, each with what it is in a row and its SQL type.
const STORED: [{ name: string }, (r: NewMessageRow) => string | number | null, string][] = [
  [messages.number, (r) => r.number, "text"],
  [messages.gatewayId, (r) => r.gatewayId, "text"],
  [messages.sourceKey, (r) => r.sourceKey ?? null, "text"],
  [messages.contentHash, (r) => r.contentHash, "text"],
  [messages.sender, (r) => r.sender, "text"],
  [messages.text, (r) => r.text, "text"],
  [messages.code, (r) => r.code, "text"],
  [messages.service, (r) => r.service, "text"],
  [messages.segments, (r) => r.segments ?? null, "int"],
  [messages.receivedAt, (r) => r.receivedAt.toISOString(), "timestamptz"],
];

/** What the text of the statement that stores whole messages depends on. */
export type StoringShape = { several: boolean; severalNumbers: boolean; lock: boolean };

/**
 * The shape of the statement that stores `whole`, and the values of its placeholders: the numbers to lock, and
 * each column's value (one message) or values (several).
 */
export function storingOf(
  whole: NewMessageRow[],
  lock: boolean,
): { shape: StoringShape; values: Record<string, unknown> } {
  const numbers = numbersToLock(whole.map((r) => r.number));
  const [r] = whole;
  const several = whole.length > 1;
  return {
    shape: { several, severalNumbers: numbers.several, lock },
    values: {
      ...numbers.values,
      ...Object.fromEntries(STORED.map(([c, value]) => [c.name, several ? arrayLiteral(whole.map(value)) : value(r!)])),
    },
  };
}

// One prepared statement per shape, its text made once (four are used: one message or several, to one number or
// several; with the lock on Postgres, without on PGlite).
const storing = new Map<string, PreparedStatement>();

function preparedStoring(shape: StoringShape): PreparedStatement {
  const key = `${shape.several} ${shape.severalNumbers} ${shape.lock}`;
  let prepared = storing.get(key);
  if (!prepared) storing.set(key, (prepared = new PreparedStatement(storingStatement(shape))));
  return prepared;
}

/**
 * The statement that stores whole messages (see storeWhole), with a placeholder for each value. Exported for the
 * test that checks, in Postgres's own plan, that the lock is taken before the INSERT draws an id
 * (store-plan.test.ts).
 */
export function storingStatement({ several, severalNumbers, lock }: StoringShape): SQL {
  // Several messages: one array parameter per column, so that a batch of any size has the same text, planned once
  // (db/array-param.ts; a VALUES list of 100 was 1,000 parameters). One message, what webhooks send: its row of
  // parameters (with arrays, 16 single stores at a time on Postgres did ~1,100 a second instead of ~1,500).
  const values = several
    ? sql`unnest(${sql.join(
        STORED.map(([c, , type]) => arrayParam(sql.placeholder(c.name), type)),
        sql`, `,
      )})`
    : sql`(values (${sql.join(
        STORED.map(([c, , type]) => sql`${sql.placeholder(c.name)}::${sql.raw(type)}`),
        sql`, `,
      )}))`;
  const column = (c: { name: string }) => sql.identifier(c.name);
  const names = sql.join(
    STORED.map(([c]) => column(c)),
    sql`, `,
  );
  // Named, not `*`: the statement is prepared, and a column added by a later migration must not change its result.
  const returned = sql.join(
    [
      messages.id,
      messages.number,
      messages.sourceKey,
      messages.sender,
      messages.text,
      messages.code,
      messages.service,
      messages.incomplete,
      messages.receivedAt,
      messages.createdAt,
    ].map(column),
    sql`, `,
  );
  // Text, whichever driver: ids are bigints, times to the millisecond as Date parses them.
  const utc = (c: { name: string }) => sql`to_char(${column(c)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  // The lock's CTE is read by a scalar subquery in the INSERT's WHERE: Postgres runs it as a one-time filter,
  // before the INSERT's first row, so every id is drawn under the lock. Read without locking otherwise, for the
  // message before each number's (the caller holds the lock, or the database runs one transaction at a time).
  return sql`
    with ${numbersLocked(severalNumbers, { take: lock })},
    inserted as (
      insert into ${messages} (${names})
      select * from ${values} as v(${names})
      ${lock ? sql`where (select count(*) from locked) >= 0` : sql``}
      on conflict (${column(messages.gatewayId)}, ${column(messages.sourceKey)}) do update
        set ${column(messages.text)} = numbox_idempotency_conflict(excluded.${column(messages.sourceKey)})
        where ${messages.contentHash} <> excluded.${column(messages.contentHash)}
      returning ${returned}
    ),
    arrived as (select number, id, created_at as at, service, sender from inserted),
    ${arrivalsRecorded(sql.raw("arrived"))}
    select id::text as id, number, source_key, sender, text, code, service, incomplete, ${utc(messages.receivedAt)} as received_at,
      ${utc(messages.createdAt)} as created_at,
      (select l.last_message_id from locked l where l.number = inserted.number)::text as before_id
    from inserted`;
}

type InsertedRow = {
  id: string;
  number: string;
  source_key: string | null;
  sender: string;
  text: string;
  code: string | null;
  service: string | null;
  incomplete: boolean;
  received_at: string;
  created_at: string;
  before_id: string | null;
};

function toStoredMessage(row: InsertedRow): { sourceKey: string | null; message: Message } {
  return {
    sourceKey: row.source_key,
    message: messageOf({
      id: Number(row.id),
      number: row.number,
      sender: row.sender,
      text: row.text,
      code: row.code,
      service: row.service,
      receivedAt: new Date(row.received_at),
      createdAt: new Date(row.created_at),
      incomplete: row.incomplete,
    }),
  };
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
