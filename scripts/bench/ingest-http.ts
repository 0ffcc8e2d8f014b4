/**
 * `npm run bench -- ingest-http`: ingest over HTTP, from outside, as providers and modem hosts post (issue 9's
 * ingest targets). Numbox runs as in production, on PGlite and, when BENCH_DATABASE_URL is set, on Postgres, with
 * one gateway of kind `generic` and its numbers; every message carries an id of its own, so none is a duplicate.
 *
 * - Single messages: one message per POST at 16 connections, against a no-op JSON POST route of a minimal Next app
 *   of the same version (it reads the body and answers, storing nothing).
 * - Batches: 100 messages per POST at 4 connections, against a bare 100-row INSERT of the same rows from this
 *   process, 4 transactions at a time (what any store must do at least).
 *
 * Baselines and Numbox alternate in the same rounds; medians over the rounds. Afterwards, the messages stored
 * must be exactly those answered 2xx: a 2xx for a message that was not stored, or a message stored twice, makes
 * the run invalid.
 */
import path from "node:path";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { count, eq } from "drizzle-orm";
import { openDatabase, type Database, type Db } from "../../db/client";
import { messages } from "../../db/schema";
import { createGateway } from "../../lib/admin/gateways";
import { createNumber } from "../../lib/admin/numbers";
import { SAMPLES, fillSample } from "../../lib/demo/samples";
import { MAX_BATCH } from "../../lib/ingest/adapters/generic";
import { contentHash } from "../../lib/ingest/hash";
import { extractCode } from "../../lib/text/otp";
import { emptyPostgres } from "./databases";
import { ratio, reportFailures, type Where } from "./http";
import { runOf, type Run } from "./load";
import { describeMachine, loadAverage, postgresVersion } from "./machine";
import { ensureBuild, startNumbox } from "./numbox";
import { tempDir, type Server } from "./processes";
import { summarize, type Plan, type Summary } from "./rounds";
import { median, p99 } from "./stats";
import { NEXT_VERSION, startStaticNext } from "./static-next";

const PLAN: Plan = { rounds: 3, seconds: 5, warmUpSeconds: 2 };
// Issue 9 measures single POSTs at 16 connections; batches at 4, each carrying 100 messages.
const SINGLE_CONNECTIONS = 16;
const BATCH_CONNECTIONS = 4;
const BATCH = MAX_BATCH;
// A provider's gateway with many numbers: the POSTs go to them in turn (and, in one row, all to one).
const NUMBERS = 20;
const GATEWAY = "bench-ingest";
// The bare INSERTs' rows are filed under a gateway of their own, so that Numbox's messages can be counted apart.
const BARE_GATEWAY = "bench-bare";
// Distinct texts the messages cycle through: real samples, each with its code.
const TEXTS = 100;

// Issue 9's targets, printed beside the results.
const SINGLE_TARGET: Record<string, number> = { Postgres: 0.5, PGlite: 0.35 };
const BATCH_TARGET: Record<string, number> = { Postgres: 10_000, PGlite: 5_000 };
const BATCH_RATIO_TARGET = 0.3;

/** A load measured for a few seconds: Numbox's, or a baseline's. */
type Contender = { name: string; server?: Server; run(seconds: number): Promise<Run> };

/**
 * Every message Numbox answered 2xx for, as a count, and the POSTs no answer came back for (cut off when a run
 * ended, or timed out), to be sent again as a provider would: together, what must be stored.
 */
type Ledger = { answered: number; unanswered: { body: string; messages: number }[] };

/** What the POSTs say: our numbers, a pool of texts, and ids that never repeat within a database's run. */
class Messages {
  private next = 0;
  private readonly texts = Array.from({ length: TEXTS }, (_, i) => fillSample(SAMPLES[i % SAMPLES.length]!));
  private readonly derived = new Map<string, { contentHash: string; code: string | null }>();

  constructor(readonly numbers: string[]) {}

  /** One message in the generic format, to `to` or else the next of the numbers in turn. */
  message(to?: string): { to: string; from: string; text: string; receivedAt: string; id: string } {
    const n = this.next++;
    const { from, text } = this.texts[n % TEXTS]!;
    return {
      to: to ?? this.numbers[n % this.numbers.length]!,
      from,
      text,
      receivedAt: new Date().toISOString(),
      id: `bench-${n}`,
    };
  }

  /**
   * The same rows Numbox would store for a batch, as the bare INSERT writes them. Their code and content hash are
   * worked out once per text and number, not in the timed loop: the baseline is the database's work.
   */
  rows(n: number): (typeof messages.$inferInsert)[] {
    return Array.from({ length: n }, () => {
      const m = this.message();
      const key = JSON.stringify([m.to, m.from, m.text]);
      let derived = this.derived.get(key);
      if (!derived)
        this.derived.set(
          key,
          (derived = { contentHash: contentHash(m.to, m.from, m.text), code: extractCode(m.text) }),
        );
      return {
        number: m.to,
        gatewayId: BARE_GATEWAY,
        sourceKey: m.id,
        ...derived,
        sender: m.from,
        text: m.text,
        receivedAt: new Date(m.receivedAt),
      };
    });
  }
}

/**
 * POSTs for `seconds` on `connections` connections, each sending its next body as soon as the last is answered.
 * `body()` makes every request's body anew (fresh ids). With a ledger, what came back 2xx and what never came back.
 */
async function post(
  url: string,
  headers: Record<string, string>,
  connections: number,
  seconds: number,
  body: () => { body: string; messages: number },
  ledger?: Ledger,
): Promise<Run> {
  const { pathname } = new URL(url);
  // The requests sent and not yet answered, by the number each connection's context carries.
  const inFlight = new Map<number, { body: string; messages: number }>();
  let next = 0;
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    method: "POST",
    headers,
    requests: [
      {
        setupRequest: (request, context) => {
          const n = next++;
          const made = body();
          inFlight.set(n, made);
          (context as Tagged).n = n;
          return { ...request, method: "POST", path: pathname, body: made.body };
        },
        onResponse: (status, _body, context) => {
          const n = (context as Tagged).n!;
          const made = inFlight.get(n)!;
          inFlight.delete(n);
          if (ledger && status >= 200 && status < 300) ledger.answered += made.messages;
        },
      },
    ],
  });
  ledger?.unanswered.push(...inFlight.values());
  return runOf(result);
}

// One request in flight per connection (no pipelining): the context says which.
type Tagged = { n?: number };

/**
 * `concurrency` workers each inserting `BATCH` rows in a transaction of its own, one after the other, for
 * `seconds`. A run's rate is in transactions a second, as a POST's is in requests a second.
 */
async function bareInserts(
  db: Db,
  rows: () => (typeof messages.$inferInsert)[],
  concurrency: number,
  seconds: number,
): Promise<Run> {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const values = rows();
        const sent = performance.now();
        await db.transaction(async (tx) => {
          await tx.insert(messages).values(values);
        });
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    perSecond: latencies.length / elapsed,
    p50: round(median(latencies)),
    p99: round(p99(latencies)),
    failures: {},
  };
}

// Tenths of a millisecond: autocannon reports whole ones, a transaction on an idle database can take less.
const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * A warm-up run of every contender, then rounds in which each pair (a baseline and what it is compared with) runs
 * in turn, the order reversed every other round, so that load from elsewhere falls on both alike.
 * runs[pair][contender]: one run per round. Every run, warm-up included, that got anything but a 2xx is a failure.
 */
async function alternate(pairs: Contender[][], plan: Plan): Promise<{ runs: Run[][][]; failures: string[] }> {
  const failures: string[] = [];
  const runOnce = async (contender: Contender, seconds: number, label: string) => {
    const run = await contender.run(seconds);
    contender.server?.assertRunning();
    const failed = Object.entries(run.failures).map(([what, n]) => `${n} × ${what}`);
    if (failed.length > 0) failures.push(`${label}, ${contender.name}: ${failed.join(", ")}`);
    console.error(`  ${label} ${contender.name}: ${run.perSecond.toFixed(0)}/s, p50 ${run.p50} ms, p99 ${run.p99} ms`);
    return run;
  };
  // The first requests compile and cache what every later one reuses: not what a running server does.
  for (const pair of pairs) for (const contender of pair) await runOnce(contender, plan.warmUpSeconds, "warm-up");
  const runs = pairs.map((pair) => pair.map((): Run[] => []));
  for (let r = 0; r < plan.rounds; r++) {
    for (const [p, pair] of pairs.entries()) {
      const order = r % 2 === 0 ? pair : [...pair].reverse();
      for (const contender of order)
        runs[p]![pair.indexOf(contender)]!.push(
          await runOnce(contender, plan.seconds, `round ${r + 1}/${plan.rounds}`),
        );
    }
  }
  return { runs, failures };
}

type Row = Summary & { name: string; ratio: number; target: string };

type Result = {
  database: string;
  single: Row[];
  batch: Row[];
  // Messages stored against what was answered 2xx, and whether they agree.
  check: { stored: number; answered: number; resent: number; resentStored: number; ok: boolean };
  failures: string[];
};

async function benchDatabase(where: Where, noop: Server): Promise<Result> {
  console.error(`${where.name}: a gateway of kind generic with ${NUMBERS} numbers`);
  if ("url" in where.database) await emptyPostgres(where.database.url);
  const setup = await openDatabase(where.database);
  const { apiKey } = await createGateway(setup.db, { id: GATEWAY, kind: "generic" });
  const numbers = await createNumbers(setup.db, GATEWAY);
  // The baseline's database: on Postgres the same one, through a pool of this process's own. PGlite is one
  // process's, and the server's is Numbox's: a second PGlite on disk, opened here, with the same numbers.
  let bare: Database;
  if ("url" in where.database) {
    await createGateway(setup.db, { id: BARE_GATEWAY, kind: "generic" });
    bare = setup;
  } else {
    await setup.close();
    bare = await openDatabase({ pgliteDir: path.join(tempDir("pglite-bare"), "db") });
    await createGateway(bare.db, { id: BARE_GATEWAY, kind: "generic" });
    await createNumbers(bare.db, BARE_GATEWAY);
  }
  const numbox = await startNumbox(where.database);

  const say = new Messages(numbers);
  const ledger: Ledger = { answered: 0, unanswered: [] };
  const headers = { "content-type": "application/json", authorization: `Bearer ${apiKey}` };
  const inbound = `${numbox.origin}/api/inbound/${GATEWAY}`;
  const single = (to?: string) => () => ({ body: JSON.stringify(say.message(to)), messages: 1 });
  const batch = () => ({
    body: JSON.stringify({ messages: Array.from({ length: BATCH }, () => say.message()) }),
    messages: BATCH,
  });
  const noopPost: Contender = {
    name: "no-op POST",
    server: noop,
    run: (seconds) => post(`${noop.origin}/api/noop`, headers, SINGLE_CONNECTIONS, seconds, single()),
  };
  const pairs: Contender[][] = [
    [
      noopPost,
      {
        name: `ingest, ${NUMBERS} numbers`,
        server: numbox,
        run: (s) => post(inbound, headers, SINGLE_CONNECTIONS, s, single(), ledger),
      },
    ],
    [
      noopPost,
      {
        name: "ingest, one number",
        server: numbox,
        run: (s) => post(inbound, headers, SINGLE_CONNECTIONS, s, single(numbers[0]), ledger),
      },
    ],
    [
      { name: "bare INSERT", run: (s) => bareInserts(bare.db, () => say.rows(BATCH), BATCH_CONNECTIONS, s) },
      {
        name: `ingest, ${BATCH} per POST`,
        server: numbox,
        run: (s) => post(inbound, headers, BATCH_CONNECTIONS, s, batch, ledger),
      },
    ],
  ];
  const { runs, failures } = await alternate(pairs, PLAN);
  const [toMany, toOne, batches] = runs as [Run[][], Run[][], Run[][]];

  // The yardstick of this database's rounds: every run of the no-op route in them.
  const yardstick = summarize([...toMany[0]!, ...toOne[0]!]);
  const singleRow = (name: string, runs: Run[]): Row => {
    const s = summarize(runs);
    const r = s.perSecond / yardstick.perSecond;
    return { name, ...s, ratio: r, target: met(r >= SINGLE_TARGET[where.name]!, `≥ ${SINGLE_TARGET[where.name]}×`) };
  };
  const inserts = perMessage(summarize(batches[0]!));
  const posted = perMessage(summarize(batches[1]!));
  const batchRatio = posted.perSecond / inserts.perSecond;

  const check = await checkStored(where, bare, numbox, inbound, headers, ledger, failures);
  await bare.close();
  return {
    database: where.name,
    single: [
      {
        name: `no-op JSON POST route of a minimal Next ${NEXT_VERSION} app (baseline)`,
        ...yardstick,
        ratio: 1,
        target: "",
      },
      singleRow(`ingest, 1 message per POST, ${NUMBERS} numbers in turn`, toMany[1]!),
      singleRow("ingest, 1 message per POST, all to one number", toOne[1]!),
    ],
    batch: [
      {
        name: `bare ${BATCH}-row INSERT, ${BATCH_CONNECTIONS} transactions at a time (baseline)`,
        ...inserts,
        ratio: 1,
        target: "",
      },
      {
        name: `ingest, ${BATCH} messages per POST, ${BATCH_CONNECTIONS} connections`,
        ...posted,
        ratio: batchRatio,
        target:
          `${met(posted.perSecond >= BATCH_TARGET[where.name]!, `≥ ${BATCH_TARGET[where.name]!.toLocaleString("en")} msg/s`)}; ` +
          met(batchRatio >= BATCH_RATIO_TARGET, `≥ ${BATCH_RATIO_TARGET}×`),
      },
    ],
    check,
    failures,
  };
}

/** Requests or transactions a second → messages a second; the latencies stay those of one POST (or INSERT). */
const perMessage = (s: Summary): Summary => ({ ...s, perSecond: s.perSecond * BATCH });

const met = (ok: boolean, target: string) => `${target}: ${ok ? "met" : "**not met**"}`;

async function createNumbers(db: Db, gateway: string): Promise<string[]> {
  const created: string[] = [];
  // Uzbek mobile numbers (libphonenumber accepts them), as the other cases' data.
  for (let i = 0; i < NUMBERS; i++)
    created.push((await createNumber(db, { number: `+99890100${String(i).padStart(4, "0")}`, gateway })).number);
  return created;
}

/**
 * Sends again every POST no answer came back for (a provider retries those, with the same ids), then counts
 * Numbox's messages in the database: exactly one per message answered 2xx, or the run is invalid.
 */
async function checkStored(
  where: Where,
  bare: Database,
  numbox: Server,
  inbound: string,
  headers: Record<string, string>,
  ledger: Ledger,
  failures: string[],
): Promise<Result["check"]> {
  let resent = 0;
  let resentStored = 0;
  for (const { body, messages: n } of ledger.unanswered) {
    const response = await fetch(inbound, { method: "POST", headers, body });
    const answer = await response.text();
    if (response.status !== 200) {
      failures.push(`re-sending a POST no answer came back for: ${response.status} ${answer}`);
      continue;
    }
    resent += n;
    resentStored += (JSON.parse(answer) as { accepted: number }).accepted;
  }
  await numbox.stop();
  // PGlite's directory is free again once its server has stopped.
  const counting = "url" in where.database ? bare : await openDatabase(where.database);
  try {
    const [row] = await counting.db.select({ n: count() }).from(messages).where(eq(messages.gatewayId, GATEWAY));
    const stored = row!.n;
    return { stored, answered: ledger.answered, resent, resentStored, ok: stored === ledger.answered + resent };
  } finally {
    if (counting !== bare) await counting.close();
  }
}

export async function benchIngestHttp(url: string | undefined): Promise<void> {
  const loadBefore = loadAverage();
  await ensureBuild();
  const noop = await startStaticNext();
  const wheres: Where[] = [{ name: "PGlite", database: { pgliteDir: path.join(tempDir("pglite"), "db") } }];
  if (url) wheres.push({ name: "Postgres", database: { url } });
  const results: Result[] = [];
  for (const where of wheres) results.push(await benchDatabase(where, noop));
  await noop.stop();

  const postgres = url ? `; ${await postgresVersion(url)} on the same machine (loopback)` : "";
  console.log(
    `\n- Machine: ${describeMachine()}${postgres}; load average (1 min) ${loadBefore} before, ${loadAverage()} after.`,
  );
  console.log(
    `- Method: Numbox production build (\`node server.mjs\`) on an empty database with one gateway of kind generic ` +
      `(API key as a bearer token) and ${NUMBERS} numbers; every message has an id of its own (no duplicates) and a ` +
      `receivedAt. Autocannon from the bench process. Per database a ${PLAN.warmUpSeconds} s warm-up of each, then ` +
      `${PLAN.rounds} rounds of ${PLAN.seconds} s in which each measure runs beside its baseline, the order reversed ` +
      `every other round; medians over the rounds.`,
  );
  console.log(
    `- Single messages: ${SINGLE_CONNECTIONS} connections, one message per POST, against a no-op POST route of a ` +
      `minimal Next ${NEXT_VERSION} app (\`next start\`; reads the JSON body, answers \`{"ok":true}\`) sent the same ` +
      `bodies; "× no-op": req/s over the no-op route's median req/s in the same rounds (all its runs).`,
  );
  console.log(
    `- Batches: ${BATCH} messages per POST on ${BATCH_CONNECTIONS} connections, against a bare ${BATCH}-row ` +
      `\`db.insert(messages).values([…])\` of the same rows (code and content hash worked out once per text and number, outside the timed part) in a ` +
      `transaction of its own, ${BATCH_CONNECTIONS} at a time from the bench process: on Postgres into the same ` +
      `database (its own pool); on PGlite into a separate PGlite database on disk opened in the bench process, since ` +
      `the server's is the server's alone (PGlite runs one statement at a time: the ${BATCH_CONNECTIONS} transactions ` +
      `queue). Latencies are per POST or per transaction of ${BATCH} messages.`,
  );

  console.log(`\n| single-message ingest | database | req/s | p50 (ms) | p99 (ms) | × no-op | target |`);
  console.log("|---|---|---|---|---|---|---|");
  for (const r of results) {
    for (const row of r.single) {
      console.log(
        `| ${row.name} | ${r.database} | ${row.perSecond.toFixed(0)} | ${row.p50} | ${row.p99} | ${ratio(row.ratio)} | ${row.target} |`,
      );
    }
  }
  console.log(`\n| batched ingest | database | msg/s | p50 (ms) | p99 (ms) | × bare INSERT | target |`);
  console.log("|---|---|---|---|---|---|---|");
  for (const r of results) {
    for (const row of r.batch) {
      console.log(
        `| ${row.name} | ${r.database} | ${row.perSecond.toFixed(0)} | ${row.p50} | ${row.p99} | ${ratio(row.ratio)} | ${row.target} |`,
      );
    }
  }

  console.log("\nStored against answered (Numbox's gateway, counted in the database after the server stopped):");
  for (const { database, check } of results) {
    console.log(
      `- ${database}: ${check.stored.toLocaleString("en")} messages stored; ${check.answered.toLocaleString("en")} answered 2xx ` +
        `during the runs, ${check.resent.toLocaleString("en")} in POSTs cut off at a run's end, sent again and answered 2xx ` +
        `(${check.resentStored} of them not stored before): ${check.ok ? "equal" : "**MISMATCH**"}.`,
    );
  }
  const mismatches = results.filter((r) => !r.check.ok);
  if (mismatches.length > 0) {
    console.log(
      `\n**INVALID RUN**: the messages stored are not those answered 2xx on ${mismatches.map((r) => r.database).join(", ")}.`,
    );
    process.exitCode = 1;
  }
  reportFailures(results.flatMap((r) => r.failures.map((f) => `${r.database}: ${f}`)));
}
