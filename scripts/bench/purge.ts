/**
 * How much a retention purge slows ingestion down: messages arriving on a timer while `purge` deletes 100k
 * expired ones, against the same arrivals on an idle server in the same round.
 */
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { createGateway } from "../../lib/admin/gateways";
import { createNumber } from "../../lib/admin/numbers";
import { validMessage } from "../../lib/ingest/message";
import { storeMessages } from "../../lib/ingest/store";
import { purge } from "../../lib/retention/purge";
import { openBenchDatabases } from "./databases";
import { median, p99 } from "./stats";

// Ingest during a purge: messages arrive on a timer, as webhooks do, whatever the server is busy with; the
// latency of each is from when it was due to when it was stored, so an event loop held by the purge counts.
const PURGE_ROUNDS = 5;
const EXPIRED = 100_000;
const ARRIVALS_PER_SECOND = 100;
const IDLE_MS = 3000;
const GATEWAY = "purge-bench";
const PURGE_TO = "+998940000001";
const PURGE_OTHER = "+998940000002";

type Latencies = number[];

/**
 * Messages arriving at a steady rate until `until` settles; the latency of each. Every message due before then
 * counts, also those whose timer could only fire late because something held the event loop: they arrive when
 * due, whatever this process is doing, and wait for it like a request would.
 */
async function arrivals(db: Database["db"], until: Promise<unknown>, tag: string): Promise<Latencies> {
  const latencies: Latencies = [];
  const pending: Promise<void>[] = [];
  let endedAt = Infinity;
  const ended = () => void (endedAt = performance.now());
  until.then(ended, ended);
  const start = performance.now();
  const dueAt = (i: number) => start + (i * 1000) / ARRIVALS_PER_SECOND;
  for (let i = 0; ;) {
    for (; dueAt(i) <= Math.min(performance.now(), endedAt); i++) {
      const due = dueAt(i);
      const message = validMessage({ to: PURGE_TO, from: "Svc", text: `${tag} ${i}`, sourceKey: `${tag}-${i}` });
      pending.push(storeMessages(db, GATEWAY, [message]).then(() => void latencies.push(performance.now() - due)));
    }
    if (endedAt !== Infinity) break;
    await sleep(Math.max(0, dueAt(i) - performance.now()));
  }
  await Promise.all(pending);
  return latencies;
}

async function benchPurgeLoad(name: string, database: Database) {
  const { db } = database;
  // Its own gateway and numbers: nothing here depends on what another case created.
  await createGateway(db, { id: GATEWAY, kind: "generic" });
  await createNumber(db, { number: PURGE_TO, gateway: GATEWAY });
  await createNumber(db, { number: PURGE_OTHER, gateway: GATEWAY });
  const policy = { retentionDays: 7, maxMessagesPerNumber: 1_000_000, quarantineDays: 30, batchSize: 1000 };
  // The first calls compile and cache what every later one reuses: not what a running server sees.
  await arrivals(db, sleep(1000), "warm-up");
  const idle: number[] = [];
  const purging: number[] = [];
  const ratios: number[] = [];
  const purgeMs: number[] = [];
  for (let round = 0; round < PURGE_ROUNDS; round++) {
    // In parts: one statement of 100k rows can outlast the pool's statement timeout on a busy machine.
    for (let from = 1; from <= EXPIRED; from += 25_000) {
      await db.execute(sql`
        insert into messages (number, gateway_id, content_hash, sender, text, received_at, created_at)
        select case when i % 2 = 0 then ${PURGE_TO} else ${PURGE_OTHER} end, ${GATEWAY}, md5(i::text), 'Svc',
               'old message ' || i, now() - interval '30 days', now() - interval '30 days'
        from generate_series(${from}::int, ${Math.min(from + 24_999, EXPIRED)}::int) as i`);
    }
    // Idle, then during the purge, in every round: both see the same table and about the same machine load.
    const quiet = p99(await arrivals(db, sleep(IDLE_MS), `idle-${round}`));
    const started = performance.now();
    const purged = purge(db, policy).then((report) => {
      if (report.expired !== EXPIRED) throw new Error(`purged ${report.expired} of ${EXPIRED}`);
      purgeMs.push(performance.now() - started);
    });
    const busy = p99(await arrivals(db, purged, `purge-${round}`));
    await purged;
    idle.push(quiet);
    purging.push(busy);
    ratios.push(busy / quiet);
  }
  await database.close();
  return { name, idle: median(idle), purging: median(purging), ratio: median(ratios), purgeMs: median(purgeMs) };
}

export async function benchPurge(url: string | undefined) {
  const purges = [];
  for (const { name, open } of openBenchDatabases(url)) purges.push(await benchPurgeLoad(name, await open()));
  console.log(
    `method: ${PURGE_ROUNDS} rounds; in each, ${EXPIRED} expired messages inserted, then ${ARRIVALS_PER_SECOND} messages/s ` +
      `arriving on a timer for ${IDLE_MS / 1000} s (idle), then while the purge deletes them; p99 of the ` +
      `latency from due to stored; medians over rounds (the ratio is each round's, then the median)\n`,
  );
  console.log("| database | idle ingest p99 (ms) | ingest p99 during purge (ms) | ratio | purge of 100k (s) |");
  console.log("|---|---|---|---|---|");
  for (const r of purges) {
    console.log(
      `| ${r.name} | ${r.idle.toFixed(1)} | ${r.purging.toFixed(1)} | ${r.ratio.toFixed(1)} | ${(r.purgeMs / 1000).toFixed(1)} |`,
    );
  }
}
