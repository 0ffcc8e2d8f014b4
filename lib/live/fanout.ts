import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import type { Message } from "@/lib/inbox/message";
import { describeError } from "@/lib/security/log";
import { databaseReader, liveInboxes } from "./inboxes";

/**
 * Tells every instance's live inboxes which numbers got messages. Each instance tells its own at once; on
 * Postgres it also NOTIFYs the others — after the commit (a NOTIFY inside the insert transaction serialises
 * commits database-wide), with only the numbers — and each instance LISTENs once. What a number's subscribers
 * get is read from the database by cursor (lib/live/inboxes.ts), so an announcement that comes late, twice or
 * out of order changes nothing. PGlite is a single process: its own inboxes are everyone.
 */
const CHANNEL = "numbox_messages";

type Announcement = { from: string; numbers: string[] };

// On globalThis, like the inboxes: route bundles each get their own copy of this module, but the process is one
// instance, and it must recognise its own announcements whichever copy sent them.
const state = globalThis as unknown as { __numboxFanout?: { db: Db; postgres: boolean }; __numboxInstance?: string };
const instance = (state.__numboxInstance ??= randomUUID());

/** Connects the live inboxes to the database and starts hearing other instances (once per process). */
export async function startFanout(database: Database): Promise<void> {
  if (state.__numboxFanout) return;
  state.__numboxFanout = { db: database.db, postgres: database.listen !== undefined };
  liveInboxes.useReader(databaseReader(database.db));
  await database.listen?.(
    CHANNEL,
    (payload) => heard(payload),
    // Announcements made while the connection was down are lost: every inbox looks for itself.
    () => liveInboxes.changedEverywhere(),
  );
}

/** Announces messages that were just committed: here at once, and to the other instances. */
export async function announce(stored: Message[]): Promise<void> {
  const numbers = [...new Set(stored.map((m) => m.number))];
  if (numbers.length === 0) return;
  numbers.forEach((number) => liveInboxes.changed(number));
  const fanout = state.__numboxFanout;
  if (!fanout?.postgres) return;
  const payload: Announcement = { from: instance, numbers };
  try {
    await fanout.db.execute(sql`select pg_notify(${CHANNEL}, ${JSON.stringify(payload)})`);
  } catch (error) {
    // The message is stored and the sender answered; other instances' viewers get it when their inbox next reads.
    console.error("live fan-out notify failed:", describeError(error, { stack: false }));
  }
}

function heard(payload: string): void {
  let announcement: Partial<Announcement>;
  try {
    announcement = JSON.parse(payload) as Partial<Announcement>;
  } catch {
    return; // not ours: anyone with access to the database can NOTIFY
  }
  if (announcement.from === instance || !Array.isArray(announcement.numbers)) return;
  for (const number of announcement.numbers) if (typeof number === "string") liveInboxes.changed(number);
}
