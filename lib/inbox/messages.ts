import { and, asc, desc, eq, gt, ilike, lt, max, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { messages } from "@/db/schema";
import { toMessage, type Message } from "./message";

export type MessagePage = {
  messages: Message[];
  // Pass as `before` to get the next older page; null when there is nothing older.
  next: number | null;
};

export type MessageFilter = {
  // The sender, exactly but for case ("google" finds "Google", not "VM-GOOGLE": that is what `service` is for).
  from?: string;
  // The service's slug (lib/services).
  service?: string;
  // Words in the sender or the text, anywhere, ignoring case; % and _ are themselves.
  q?: string;
};

export type PageQuery = MessageFilter & { limit: number; before?: number; after?: number };

/**
 * A page of a number's inbox, newest first, by id (our arrival order, never the source's clock); messages the
 * operator hid are left out.
 * With `after`, the page holds the messages right after that cursor (so a client paging forward skips nothing).
 * The filters narrow the page, never the cursor's meaning: `next` and the ids stay the inbox's own.
 */
export async function listMessages(db: Db, number: string, query: PageQuery): Promise<MessagePage> {
  const where = and(
    eq(messages.number, number),
    eq(messages.hidden, false),
    query.before !== undefined ? lt(messages.id, query.before) : undefined,
    query.after !== undefined ? gt(messages.id, query.after) : undefined,
    ...filtered(query),
  );
  if (query.after !== undefined) {
    const rows = await db.select().from(messages).where(where).orderBy(asc(messages.id)).limit(query.limit);
    return { messages: rows.reverse().map(toMessage), next: null };
  }
  // One extra row tells whether an older page exists without a count.
  const rows = await db
    .select()
    .from(messages)
    .where(where)
    .orderBy(desc(messages.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  return {
    messages: page.map(toMessage),
    next: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/**
 * The filters as conditions, each written as its index is (db/schema.ts): `lower(sender) = lower(…)` for the
 * (number, lower(sender), id) index, `service = …` for (number, service, id), ILIKE for the trigram indexes.
 */
function filtered(filter: MessageFilter): (SQL | undefined)[] {
  const pattern = filter.q !== undefined ? `%${escapeLike(filter.q)}%` : undefined;
  return [
    filter.from !== undefined ? sql`lower(${messages.sender}) = lower(${filter.from})` : undefined,
    filter.service !== undefined ? eq(messages.service, filter.service) : undefined,
    pattern !== undefined ? or(ilike(messages.sender, pattern), ilike(messages.text, pattern)) : undefined,
  ];
}

/** Text for LIKE that matches itself: `\`, `%` and `_` escaped with LIKE's default escape character. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Messages after a cursor, oldest first, without hidden ones: what a reconnecting stream replays and wait finds. */
export async function messagesAfter(db: Db, number: string, after: number, limit: number): Promise<Message[]> {
  const rows = await db
    .select()
    .from(messages)
    .where(and(eq(messages.number, number), eq(messages.hidden, false), gt(messages.id, after)))
    .orderBy(asc(messages.id))
    .limit(limit);
  return rows.map(toMessage);
}

/**
 * Where a live inbox starts: the number's newest message id (hidden ones included; 0 for none), and its newest
 * visible messages (at most `limit`, oldest first), read in one statement so that the two agree: the messages are
 * every visible one after `latest[0].id - 1`, up to that id.
 */
export async function inboxStart(
  db: Db,
  number: string,
  limit: number,
): Promise<{ newestId: number; latest: Message[] }> {
  const rows = await db
    .select({
      newestId: sql<string>`(select max(${messages.id}) from ${messages} where ${eq(messages.number, number)})`,
      message: messages,
    })
    .from(messages)
    .where(and(eq(messages.number, number), eq(messages.hidden, false)))
    .orderBy(desc(messages.id))
    .limit(limit);
  // No visible message: nothing to keep, and the newest id (of hidden ones) may be read apart.
  if (rows.length === 0) return { newestId: await newestMessageId(db, number), latest: [] };
  return { newestId: Number(rows[0]!.newestId), latest: rows.reverse().map((r) => toMessage(r.message)) };
}

/** The newest message id of a number, hidden ones included; 0 when it has none. Where a wait starts. */
export async function newestMessageId(db: Db, number: string): Promise<number> {
  const [row] = await db
    .select({ id: max(messages.id) })
    .from(messages)
    .where(eq(messages.number, number));
  return Number(row?.id ?? 0);
}
