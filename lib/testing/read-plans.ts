import type { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import type postgres from "postgres";
import { isEmbedded, maintainEmbedded, rowsOf, type Db } from "@/db/client";
import * as schema from "@/db/schema";
import { createGateway } from "@/lib/admin/gateways";
import { createNumber, updateNumber } from "@/lib/admin/numbers";
import { recountActivity } from "@/lib/inbox/activity";
import { inboxStart, listMessages, messagesAfter, newestMessageId } from "@/lib/inbox/messages";
import { getNumber, isOurNumber, listCountries, listNumbers, recentNumbers } from "@/lib/inbox/numbers";
import { classifyOldMessages } from "@/lib/services/backfill";
import {
  latestServiceMessages,
  recentServices,
  reportedNumbers,
  serviceNumbers,
  servicesOfNumber,
  servicesReceivedSince,
} from "@/lib/inbox/deliverability";

/*
 * The query plan of every read a page or the public API makes, on a database filled like a busy site's: the
 * plans test (read-plans.test.ts) and `npm run bench -- explain`. Each read runs as the routes call it, through a
 * drizzle instance over the same connection that notes its SQL; each statement is then EXPLAINed with the same
 * parameters.
 */

const NUMBERS = 200;
// Of the 200: the last ten get no bulk messages; one of them gets three (a quiet number), the others none.
const BUSY = NUMBERS - 10;
const SPREAD_MS = 7 * 24 * 60 * 60 * 1000;
const CHUNK = 50_000;

/** Which number, country and cursors to read, on a filled database. */
export type ReadSample = { busy: string; quiet: string; empty: string; country: string; middleId: number };

function numberAt(k: number): string {
  // 150 in Uzbekistan, 50 in Germany, like a site with one big and one small country.
  return k < 150 ? `+99890${String(k).padStart(7, "0")}` : `+49151${String(k).padStart(8, "0")}`;
}

/**
 * Fills an empty database: 200 numbers (one paused, one retired), `total` messages spread evenly over the busy
 * ones and the last seven days, one in fifty hidden; the read model recounted for each number. Then take
 * statistics (takeStatistics) before planning.
 */
export async function fillInboxes(db: Db, total: number): Promise<ReadSample> {
  await createGateway(db, { id: "plans", kind: "generic" });
  for (let k = 0; k < NUMBERS; k++) await createNumber(db, { number: numberAt(k), gateway: "plans" });
  await updateNumber(db, numberAt(5), { status: "paused" });
  await updateNumber(db, numberAt(6), { status: "retired" });

  const busy = Array.from({ length: BUSY }, (_, k) => numberAt(k)).join(",");
  // In chunks: one statement of a million rows can outlast the pool's statement timeout.
  for (let from = 1; from <= total; from += CHUNK) {
    await db.execute(sql`
      insert into messages (number, gateway_id, content_hash, sender, service, text, code, hidden, received_at, created_at)
      select (string_to_array(${busy}, ','))[1 + i % ${BUSY}], 'plans', md5(i::text), s.sender, lower(s.sender),
             'Your code is ' || (100000 + i % 900000), (100000 + i % 900000)::text, i % 50 = 0, t, t
      from generate_series(${from}::int, ${Math.min(from + CHUNK - 1, total)}::int) as i,
           lateral (select now() - (${total}::int - i) * ${SPREAD_MS / total}::float8 * interval '1 millisecond' as t) as arrival,
           lateral (select (array['Svc', 'Google', 'WhatsApp', 'Telegram', 'Uber'])[1 + (i / ${BUSY}) % 5] as sender) as s`);
  }
  const quiet = numberAt(NUMBERS - 1);
  await db.execute(sql`
    insert into messages (number, gateway_id, content_hash, sender, text, received_at, created_at)
    select ${quiet}, 'plans', md5(i::text), 'Svc', 'hello', now() - i * interval '5 hours', now() - i * interval '5 hours'
    from generate_series(1, 3) as i`);
  await db.execute(sql`update numbers set
    last_message_at = (select max(created_at) from messages where messages.number = numbers.number),
    last_message_id = (select max(id) from messages where messages.number = numbers.number)`);
  const now = new Date();
  for (let k = 0; k < NUMBERS; k++) await recountActivity(db, numberAt(k), now);

  const result = await db.execute(sql`select id from messages order by id offset ${Math.floor(total / 2)} limit 1`);
  const [middle] = rowsOf<{ id: number }>(result);
  return { busy: numberAt(0), quiet, empty: numberAt(BUSY), country: "UZ", middleId: Number(middle?.id ?? 0) };
}

/** Statistics as a running site has them: our own ANALYZE on PGlite (after a purge), autovacuum's on Postgres. */
export async function takeStatistics(db: Db): Promise<void> {
  if (isEmbedded(db)) await maintainEmbedded(db, { vacuum: false });
  else await db.execute(sql`analyze`);
}

/** Each read as a page or an API route makes it (app/: the pages, /api/v1/…). */
export function readsOf(s: ReadSample): { name: string; run: (db: Db) => Promise<unknown> }[] {
  return [
    { name: "home: countries", run: (db) => listCountries(db) },
    { name: "home: recent numbers", run: (db) => recentNumbers(db, 6) },
    { name: "country page, /api/v1/numbers?country=", run: (db) => listNumbers(db, { country: s.country }) },
    { name: "/api/v1/numbers", run: (db) => listNumbers(db) },
    { name: "inbox page: the number", run: (db) => getNumber(db, s.busy) },
    { name: "inbox page: newest (busy)", run: (db) => listMessages(db, s.busy, { limit: 50 }) },
    { name: "inbox page: newest (quiet)", run: (db) => listMessages(db, s.quiet, { limit: 50 }) },
    { name: "inbox page: newest (empty)", run: (db) => listMessages(db, s.empty, { limit: 50 }) },
    { name: "/messages?before=", run: (db) => listMessages(db, s.busy, { limit: 50, before: s.middleId }) },
    { name: "/messages?after= (busy)", run: (db) => listMessages(db, s.busy, { limit: 50, after: s.middleId }) },
    { name: "/messages?after= (empty)", run: (db) => listMessages(db, s.empty, { limit: 50, after: s.middleId }) },
    { name: "/messages?from=", run: (db) => listMessages(db, s.busy, { limit: 50, from: "google" }) },
    { name: "/messages?service=", run: (db) => listMessages(db, s.busy, { limit: 50, service: "telegram" }) },
    {
      name: "/messages?service=&after=",
      run: (db) => listMessages(db, s.busy, { limit: 50, service: "uber", after: s.middleId }),
    },
    { name: "/messages?q= (busy)", run: (db) => listMessages(db, s.busy, { limit: 50, q: "code is 123456" }) },
    { name: "/messages?q= (empty)", run: (db) => listMessages(db, s.empty, { limit: 50, q: "whatsapp" }) },
    { name: "service page: numbers that received it", run: (db) => serviceNumbers(db, "telegram", new Date()) },
    { name: "service page: latest messages", run: (db) => latestServiceMessages(db, "telegram", 20) },
    {
      name: "service page: search",
      run: (db) => latestServiceMessages(db, "telegram", 20, "code is 123456"),
    },
    { name: "service page: reported numbers", run: (db) => reportedNumbers(db, "telegram", new Date()) },
    {
      name: "country page, ?service=",
      run: (db) => serviceNumbers(db, "telegram", new Date(), { country: s.country }),
    },
    { name: WHOLE_READ_MODEL_READ.name, run: (db) => recentServices(db, new Date()) },
    {
      name: "sitemap: services received lately",
      run: (db) => servicesReceivedSince(db, ["google", "whatsapp", "telegram", "uber", "viber"], new Date()),
    },
    { name: "inbox page: services received", run: (db) => servicesOfNumber(db, s.busy, new Date()) },
    { name: "start: messages to classify by service", run: (db) => classifyOldMessages(db) },
    { name: "API, stream, wait: is it ours", run: (db) => isOurNumber(db, s.busy) },
    { name: "stream replay, wait: after a cursor", run: (db) => messagesAfter(db, s.busy, s.middleId, 500) },
    { name: "stream: a live inbox starts (busy)", run: (db) => inboxStart(db, s.busy, 20) },
    { name: "stream: a live inbox starts (empty)", run: (db) => inboxStart(db, s.empty, 20) },
    { name: "wait: newest id (busy)", run: (db) => newestMessageId(db, s.busy) },
  ];
}

export type ReadPlan = { name: string; sql: string; plan: string };

/** The plan of every statement of every read; with `analyze`, as executed (EXPLAIN ANALYZE), with timings. */
export async function planReads(db: Db, sample: ReadSample, options: { analyze?: boolean } = {}): Promise<ReadPlan[]> {
  const plans: ReadPlan[] = [];
  for (const { name, run } of readsOf(sample)) {
    const statements: { sql: string; params: unknown[] }[] = [];
    await run(noting(db, (query, params) => statements.push({ sql: query, params })));
    for (const statement of statements) {
      const explain = `explain (${options.analyze ? "analyze, " : ""}costs off) ${statement.sql}`;
      plans.push({ name, sql: statement.sql, plan: await explainOn(db, explain, statement.params) });
    }
  }
  return plans;
}

const GROWING_TABLES = ["messages", "number_activity", "service_activity"];

/**
 * The read allowed to read service_activity whole: /services sums every service's week, and the week (and two
 * hours) is all that table keeps (lib/inbox/service-activity.ts). Its rows grow with the services, numbers and
 * hours that saw traffic, not with the messages; messages and number_activity it must not read whole either.
 */
export const WHOLE_READ_MODEL_READ = { name: "/services", table: "service_activity" };

/** A plan that reads whole a table that grows with the messages (or their read models), but for `allowed`. */
export function scansGrowingTable(plan: string, allowed: readonly string[] = []): boolean {
  return GROWING_TABLES.some((table) => !allowed.includes(table) && new RegExp(`Seq Scan on ${table}\\b`).test(plan));
}

/** The same database, through a drizzle instance that tells each statement it sends. */
function noting(db: Db, onQuery: (query: string, params: unknown[]) => void): Db {
  const logger = { logQuery: onQuery };
  const client = (db as unknown as { $client: unknown }).$client;
  return isEmbedded(db)
    ? drizzlePglite(client as PGlite, { schema, logger })
    : drizzlePostgres(client as postgres.Sql, { schema, logger });
}

async function explainOn(db: Db, statement: string, params: unknown[]): Promise<string> {
  const client = (db as unknown as { $client: unknown }).$client;
  const rows = isEmbedded(db)
    ? (await (client as PGlite).query<Record<string, string>>(statement, params)).rows
    : await (client as postgres.Sql).unsafe<Record<string, string>[]>(
        statement,
        params as postgres.ParameterOrJSON<never>[],
      );
  return rows.map((row) => row["QUERY PLAN"]).join("\n");
}
