import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { messages } from "@/db/schema";
import { toMessage, type Message } from "@/lib/inbox/message";
import { describeError } from "@/lib/security/log";
import { bus } from "./bus";

/**
 * Fan-out of newly stored messages to every instance's live streams and waits. Each instance publishes to its
 * own bus at once; on Postgres it also NOTIFYs the other instances — after the commit, with only ids (a NOTIFY
 * inside the insert transaction serialises commits database-wide) — and each instance LISTENs once, reads
 * the messages by id and publishes them to its own bus. PGlite is a single process: its bus is everyone.
 */
const CHANNEL = "numbox_messages";

type Announcement = { from: string; ids: number[] };

// On globalThis, like the bus: route bundles each get their own copy of this module, but the process is one
// instance, and it must recognise its own announcements whichever copy sent them.
const state = globalThis as unknown as { __numboxFanout?: { db: Db; postgres: boolean }; __numboxInstance?: string };
const instance = (state.__numboxInstance ??= randomUUID());

/** Starts hearing other instances (once per process); called when the database opens. */
export async function startFanout(database: Database): Promise<void> {
  if (state.__numboxFanout) return;
  state.__numboxFanout = { db: database.db, postgres: database.listen !== undefined };
  await database.listen?.(CHANNEL, (payload) => {
    void heard(database.db, payload).catch((error: unknown) =>
      console.error("live fan-out failed:", describeError(error, { stack: false })),
    );
  });
}

/** Publishes messages that were just committed: here at once, and to the other instances. */
export async function announce(stored: Message[]): Promise<void> {
  if (stored.length === 0) return;
  for (const message of stored) bus.publish(message);
  const fanout = state.__numboxFanout;
  if (!fanout?.postgres) return;
  const payload: Announcement = { from: instance, ids: stored.map((m) => m.id) };
  try {
    await fanout.db.execute(sql`select pg_notify(${CHANNEL}, ${JSON.stringify(payload)})`);
  } catch (error) {
    // The message is stored and the sender answered; other instances' viewers get it on their next replay.
    console.error("live fan-out notify failed:", describeError(error, { stack: false }));
  }
}

async function heard(db: Db, payload: string): Promise<void> {
  const { from, ids } = JSON.parse(payload) as Announcement;
  if (from === instance || !Array.isArray(ids) || ids.length === 0) return;
  const rows = await db
    .select()
    .from(messages)
    .where(and(inArray(messages.id, ids.slice(0, 1000)), eq(messages.hidden, false)))
    .orderBy(messages.id);
  for (const row of rows) bus.publish(toMessage(row));
}
