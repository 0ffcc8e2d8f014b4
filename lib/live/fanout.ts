import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import type { Message } from "@/lib/inbox/message";
import { processWide } from "@/lib/process-wide";
import { describeError } from "@/lib/security/log";
import { databaseReader, liveInboxes } from "./inboxes";
import { log } from "@/lib/observability/log";

/**
 * Tells every instance what changed: which numbers got messages (their live inboxes read them), or that the
 * operator changed something (numbers, messages hidden, a purge) that pages show. Also whoever else in the process
 * listens (lib/server/respond.ts: cached pages go stale). Each instance tells its own at once; on Postgres it
 * also NOTIFYs the others — after the commit (a NOTIFY inside the insert transaction serialises commits
 * database-wide), with only the numbers, one NOTIFY per turn of the event loop — and each instance LISTENs once.
 * What a number's subscribers get is read from the database by cursor (lib/live/inboxes.ts), so an announcement
 * that comes late, twice or out of order changes nothing. PGlite is a single process: its own inboxes are everyone.
 */
const CHANNEL = "numbox_messages";

type Announcement = { from: string; numbers: string[] | "everything"; hidden?: Hidden[] };

/** A message the operator hid: open streams of its number drop it from the page. */
export type Hidden = { number: string; id: number };

/** What changed: these numbers' inboxes, or everything (an operator's edit, a purge). */
export type Change = readonly string[] | "everything";

// Once per process, like the inboxes: route bundles each get their own copy of this module, but the process is one
// instance, and it must recognise its own announcements whichever copy sent them.
const state = processWide("fan-out", (): { started?: { db: Db; postgres: boolean } } => ({}));
const instance = processWide("instance", () => randomUUID());
const listeners = processWide("change listeners", () => new Set<(change: Change) => void>());

/** Calls `listener` with every change, made here or heard from another instance. */
export function onChange(listener: (change: Change) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// `inboxes: false` when the caller told this process's live inboxes itself.
function changed(change: Change, { inboxes = true } = {}): void {
  if (inboxes) {
    if (change === "everything") liveInboxes.changedEverywhere();
    else change.forEach((number) => liveInboxes.changed(number));
  }
  for (const listener of listeners) listener(change);
}

/** Connects the live inboxes to the database and starts hearing other instances (once per process). */
export async function startFanout(database: Database): Promise<void> {
  if (state.started) return;
  state.started = { db: database.db, postgres: database.listen !== undefined };
  liveInboxes.useReader(databaseReader(database.db));
  await database.listen?.(
    CHANNEL,
    (payload) => heard(payload),
    // Announcements made while the connection was down are lost: every inbox looks for itself.
    () => changed("everything"),
  );
}

/**
 * Announces messages that were just committed: here at once, and to the other instances. `before` is, per number,
 * the message the number had just before them, where the store knows it: this instance's inboxes then take them
 * from hand (lib/live/inboxes.ts `stored`).
 */
export async function announce(stored: Message[], before: ReadonlyMap<string, number> = new Map()): Promise<void> {
  const byNumber = new Map<string, Message[]>();
  for (const message of stored) {
    const messages = byNumber.get(message.number);
    if (messages) messages.push(message);
    else byNumber.set(message.number, [message]);
  }
  for (const [number, messages] of byNumber)
    liveInboxes.stored(
      number,
      before.get(number),
      messages.sort((a, b) => a.id - b.id),
    );
  if (byNumber.size === 0) return;
  const numbers = [...byNumber.keys()];
  changed(numbers, { inboxes: false });
  await tellOthers(numbers, []);
}

/** Announces messages the operator just hid: open streams of their numbers, on every instance, drop them. */
export async function announceHidden(hidden: Hidden[]): Promise<void> {
  if (hidden.length > 0) await announceChange([], hidden);
}

/** Announces a committed change (and the messages it hid, if any): here at once, and to the other instances. */
export async function announceChange(change: Change, hidden: Hidden[] = []): Promise<void> {
  changed(change);
  for (const { number, id } of hidden) liveInboxes.hidden(number, id);
  await tellOthers(change, hidden);
}

/** On Postgres, NOTIFYs the other instances of a change this one has already made known here. */
function tellOthers(change: Change, hidden: Hidden[]): Promise<void> {
  const fanout = state.started;
  if (!fanout?.postgres) return Promise.resolve();
  if (change === "everything" || hidden.length > 0)
    return notify(fanout.db, {
      from: instance,
      numbers: change === "everything" ? change : [...change],
      ...(hidden.length > 0 ? { hidden } : {}),
    });
  // The numbers of every store in this turn of the event loop go out together: at hundreds of stores a second,
  // one NOTIFY per store was a statement (and a commit) each.
  for (const number of change) pendingNumbers.add(number);
  pendingFlush ??= new Promise<void>((resolve) =>
    setImmediate(() => {
      const numbers = [...pendingNumbers];
      pendingNumbers.clear();
      pendingFlush = null;
      const sends = [];
      for (let i = 0; i < numbers.length; i += NUMBERS_PER_NOTIFY)
        sends.push(notify(fanout.db, { from: instance, numbers: numbers.slice(i, i + NUMBERS_PER_NOTIFY) }));
      void Promise.all(sends).then(() => resolve());
    }),
  );
  return pendingFlush;
}

// Numbers announced in this turn, not yet sent to the other instances.
const pendingNumbers = new Set<string>();
let pendingFlush: Promise<void> | null = null;
// A NOTIFY payload must stay under 8,000 bytes: numbers of up to 16 characters, quoted, with a comma.
const NUMBERS_PER_NOTIFY = 300;

async function notify(db: Db, payload: Announcement): Promise<void> {
  try {
    await db.execute(sql`select pg_notify(${CHANNEL}, ${JSON.stringify(payload)})`);
  } catch (error) {
    // The message is stored and the sender answered; other instances' viewers get it when their inbox next reads.
    log().error({ error: describeError(error, { stack: false }) }, "live fan-out notify failed");
  }
}

function heard(payload: string): void {
  let announcement: Partial<Announcement>;
  try {
    announcement = JSON.parse(payload) as Partial<Announcement>;
  } catch {
    return; // not ours: anyone with access to the database can NOTIFY
  }
  if (announcement.from === instance) return;
  const { numbers, hidden } = announcement;
  if (Array.isArray(hidden)) {
    for (const h of hidden as Partial<Hidden>[])
      if (typeof h?.number === "string" && typeof h.id === "number") liveInboxes.hidden(h.number, h.id);
  }
  if (numbers === "everything") changed(numbers);
  else if (Array.isArray(numbers)) changed(numbers.filter((number): number is string => typeof number === "string"));
}
