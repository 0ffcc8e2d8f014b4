import { asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { arrayLiteral, arrayParam } from "@/db/array-param";
import type { Db } from "@/db/client";
import { numbers } from "@/db/schema";

/**
 * The lock every transaction that stores messages takes before it draws a message id: the rows of the numbers
 * it writes to, in sorted order, held until the commit. Two promises rest on it.
 *
 * A cursor that never skips. An id is drawn from the sequence at insert but becomes visible at commit, so
 * without the lock a reader could see a number's id 11 before id 10 is committed, move its cursor to 11, and
 * never see 10. With it, the transactions that write to one number draw their ids and commit one after the
 * other: whenever a reader sees a message, it already sees every older one of that number (or that one is never
 * to be). Every `id > cursor` read — replay, `after=`, wait, the live inboxes — relies on this.
 *
 * No deadlocks. Locks are taken in one global order: numbers sorted, then (at the end of a store) the gateway's
 * row; a heartbeat takes only the gateway's. Two batches that share a source key share its number, so they take
 * turns on the number before either touches the unique index. (Only batches that reuse a key for different
 * numbers — a 409 for one of them — can still meet there; should the database report a deadlock, the sender
 * gets a 503 with Retry-After and its retry gets the 409.)
 *
 * On PGlite (one connection, one transaction at a time) it costs little and changes nothing.
 */
export async function lockNumbers(tx: Db, to: Iterable<string>): Promise<void> {
  const unique = [...new Set(to)];
  if (unique.length === 0) return;
  // ORDER BY under FOR UPDATE locks rows in that order. NO KEY UPDATE is what an UPDATE of the row takes: other
  // transactions may still insert rows that reference the number.
  await tx
    .select({ number: numbers.number })
    .from(numbers)
    .where(inArray(numbers.number, unique))
    .orderBy(asc(numbers.number))
    .for("no key update");
}

/**
 * The same lock as a common table expression `locked` (number, last_message_id) of a larger statement, which must
 * refer to it before it draws an id (lib/ingest/store.ts: a scalar subquery in the INSERT's WHERE, evaluated before
 * its first row). A row locked after a wait is the row as the transaction before left it, even though it committed
 * after this statement began: its last_message_id is the id of the message just before this statement's. With
 * `take: false` (the caller holds the lock already, or the database is embedded) it only reads the rows.
 *
 * The numbers are a prepared statement's placeholder, `numbers`, whose value numbersToLock gives: one number, or
 * (`several`) all of them as one array parameter, so that the text is the same whatever the batch.
 */
export function numbersLocked(several: boolean, { take = true } = {}): SQL {
  const numbersGiven = sql.placeholder("numbers");
  const which = several
    ? sql`${numbers.number} = any(${arrayParam(numbersGiven, "text")})`
    : eq(numbers.number, numbersGiven);
  return sql`locked as (
      select ${numbers.number}, ${numbers.lastMessageId} from ${numbers} where ${which}
      order by ${numbers.number}${take ? sql` for no key update` : sql``}
    )`;
}

/** For the numbers a store writes to: whether they are several, and the value of numbersLocked's placeholder. */
export function numbersToLock(to: Iterable<string>): { several: boolean; values: { numbers: string } } {
  const unique = [...new Set(to)].sort();
  return unique.length === 1
    ? { several: false, values: { numbers: unique[0]! } }
    : { several: true, values: { numbers: arrayLiteral(unique) } };
}
