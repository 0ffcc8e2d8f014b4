/**
 * `npm run bench -- explain [messages]`: the plan and the time of every read a page or the public API makes, on
 * a database of a million messages over 200 numbers (PGlite, and Postgres with BENCH_DATABASE_URL, an empty
 * database), with what the purge adds at that size (the read model's upkeep; on PGlite, VACUUM and ANALYZE). Baseline
 * in the same run: the last-day counts of a country's numbers counted from messages, as they were before the
 * read model.
 */
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { isEmbedded, maintainEmbedded, openDatabase, type Database, type Db } from "../../db/client";
import { forgetOldActivity, recountActivity } from "../../lib/inbox/activity";
import {
  fillInboxes,
  planReads,
  readsOf,
  scansGrowingTable,
  takeStatistics,
  type ReadSample,
} from "../../lib/testing/read-plans";

const RUNS = 21;
const DAY_MS = 24 * 60 * 60 * 1000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

async function medianMs(run: () => Promise<unknown>): Promise<number> {
  await run(); // the first call prepares what the others reuse
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await timed(run));
  return median(times);
}

/** The 24-h counts of a country's numbers, the old way (messages) and the new (number_activity). */
function lastDayCounts(db: Db, country: string, from: "messages" | "activity") {
  const since = new Date(Date.now() - DAY_MS).toISOString();
  return from === "messages"
    ? db.execute(sql`select n.number, (select count(*)::int from messages m
        where m.number = n.number and m.created_at > ${since}::timestamptz) from numbers n where n.country = ${country}`)
    : db.execute(sql`select n.number, (select coalesce(sum(a.messages), 0)::int from number_activity a
        where a.number = n.number and a.bucket >= date_bin(interval '1 hour', ${since}::timestamptz,
        timestamptz '2000-01-01 00:00:00+00')) from numbers n where n.country = ${country}`);
}

async function explainOne(name: string, database: Database, total: number) {
  const { db } = database;
  console.log(`\n## ${name}, ${total.toLocaleString("en")} messages over 200 numbers\n`);
  let sample!: ReadSample;
  const fillMs = await timed(async () => (sample = await fillInboxes(db, total)));
  const analyzeMs = await timed(() => takeStatistics(db));
  console.log(`filled in ${(fillMs / 1000).toFixed(1)} s; first ANALYZE ${analyzeMs.toFixed(0)} ms\n`);

  for (const plan of await planReads(db, sample, { analyze: true })) {
    const flag = scansGrowingTable(plan.plan) ? "  ← reads a whole table" : "";
    console.log(`### ${plan.name}${flag}\n\n${plan.sql}\n\n${plan.plan}\n`);
  }

  console.log(`median of ${RUNS} calls, ms:\n`);
  console.log("| read | ms |");
  console.log("|---|---|");
  for (const { name: read, run } of readsOf(sample))
    console.log(`| ${read} | ${(await medianMs(() => run(db))).toFixed(2)} |`);
  const counted = await medianMs(() => lastDayCounts(db, sample.country, "messages"));
  const summed = await medianMs(() => lastDayCounts(db, sample.country, "activity"));
  console.log(`| 24-h counts of the country's 150 numbers, counted from messages (before) | ${counted.toFixed(2)} |`);
  console.log(`| the same, summed from number_activity (now) | ${summed.toFixed(2)} |`);

  // What the purge adds per run, at this size: the read model's upkeep, and on PGlite what autovacuum would do.
  const now = new Date();
  const forgetMs = await timed(() => forgetOldActivity(db, now));
  const recountMs = await medianMs(() => recountActivity(db, sample.busy, now));
  console.log(
    `\npurge, read model: old buckets of every number dropped in ${forgetMs.toFixed(0)} ms; a busy number recounted in ${recountMs.toFixed(1)} ms`,
  );
  if (isEmbedded(db)) {
    // Two purge rounds of 1 % each (the oldest messages, as expiry deletes them), each followed by the upkeep.
    for (const round of ["first (a table never vacuumed)", "next"]) {
      await db.execute(
        sql`delete from messages where id in (select id from messages order by id limit ${total / 100})`,
      );
      const upkeepMs = await timed(() => maintainEmbedded(db, { vacuum: true }));
      console.log(`PGlite upkeep after a purge of 1 %, ${round}: VACUUM + ANALYZE ${upkeepMs.toFixed(0)} ms`);
    }
  }
  await database.close();
}

export async function benchExplain(url: string | undefined, total = 1_000_000): Promise<void> {
  await explainOne("PGlite (memory)", await openDatabase({ pgliteDir: "memory://" }), total);
  if (url) await explainOne("Postgres", await openDatabase({ url }), total);
}
