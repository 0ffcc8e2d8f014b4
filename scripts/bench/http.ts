/**
 * `npm run bench -- http`: Numbox's pages and read API over HTTP, from outside, against a static page of a
 * minimal Next app of the same version measured in the same rounds (issue 8's targets are fractions of it).
 * Numbox runs as in production, on PGlite and, when BENCH_DATABASE_URL is set, on Postgres, serving 100k messages
 * over 200 numbers.
 */
import path from "node:path";
import { openDatabase } from "../../db/client";
import { emptyPostgres } from "./databases";
import { CONNECTIONS, responseSize, type Size } from "./load";
import { describeMachine, loadAverage, postgresVersion } from "./machine";
import { ensureBuild, startNumbox } from "./numbox";
import { tempDir } from "./processes";
import { measure, summarize, type Page, type Plan, type Target } from "./rounds";
import { seedBenchData, type BenchData } from "./seed";
import { NEXT_VERSION, startStaticNext } from "./static-next";

const SIZE = { messages: 100_000, numbers: 200 };
export const PLAN: Plan = { rounds: 3, seconds: 5, warmUpSeconds: 2 };

/** What is measured: the pages visitors open most, and the read API testers poll. */
export function benchPages(data: BenchData): Page[] {
  return [
    { name: "inbox `/numbers/{digits}`, busy number", path: `/numbers/${data.busy.digits}`, accepts: "html" },
    { name: "inbox, quiet number", path: `/numbers/${data.quiet.digits}`, accepts: "html" },
    { name: "inbox, empty number", path: `/numbers/${data.empty.digits}`, accepts: "html" },
    { name: "home `/`", path: "/", accepts: "html" },
    { name: `country \`/countries/${data.country}\``, path: `/countries/${data.country}`, accepts: "html" },
    {
      name: "`/api/v1/numbers/{n}/messages`, busy number",
      path: `/api/v1/numbers/${data.busy.digits}/messages`,
      accepts: "json",
    },
  ];
}

export type Where = { name: string; database: { url: string } | { pgliteDir: string } };

/** Seeds an empty database and closes it again: the server about to start must be its only user (PGlite). */
export async function seeded(where: Where, size: { messages: number; numbers: number }): Promise<BenchData> {
  console.error(`${where.name}: seeding ${size.messages.toLocaleString("en")} messages over ${size.numbers} numbers`);
  if ("url" in where.database) await emptyPostgres(where.database.url);
  const database = await openDatabase(where.database);
  try {
    return await seedBenchData(database.db, size);
  } finally {
    await database.close();
  }
}

export function describeData(data: BenchData): string {
  return (
    `busy number ${data.busy.digits}: ${data.busy.messages.toLocaleString("en")} messages; ` +
    `quiet ${data.quiet.digits}: ${data.quiet.messages.toLocaleString("en")}; empty ${data.empty.digits}: none`
  );
}

type Result = {
  database: string;
  data: BenchData;
  rows: { name: string; perSecond: number; p50: number; p99: number; ratio: number; size: Size }[];
  failures: string[];
};

export async function benchHttp(url: string | undefined): Promise<void> {
  const loadBefore = loadAverage();
  await ensureBuild();
  const staticNext = await startStaticNext();
  const baseline: Target = {
    name: "static Next",
    server: staticNext,
    request: () => ({ url: `${staticNext.origin}/`, accepts: "html" }),
  };
  const wheres: Where[] = [{ name: "PGlite", database: { pgliteDir: path.join(tempDir("pglite"), "db") } }];
  if (url) wheres.push({ name: "Postgres", database: { url } });

  const results: Result[] = [];
  for (const where of wheres) {
    const data = await seeded(where, SIZE);
    const numbox = await startNumbox(where.database);
    const target: Target = {
      name: `Numbox ${where.name}`,
      server: numbox,
      request: (page) => ({ url: numbox.origin + page.path, accepts: page.accepts }),
    };
    const pages = benchPages(data);
    const { runs, failures } = await measure([baseline, target], pages, PLAN);
    const [baselineRuns, numboxRuns] = runs as [(typeof runs)[0], (typeof runs)[0]];
    // The yardstick of this database's rounds: every run of the static page in them.
    const yardstick = summarize(baselineRuns.flat());
    const rows = [
      {
        name: `static page of a minimal Next ${NEXT_VERSION} app (baseline)`,
        ...yardstick,
        ratio: 1,
        size: await responseSize(`${staticNext.origin}/`, "html"),
      },
    ];
    for (const [p, page] of pages.entries()) {
      const summary = summarize(numboxRuns[p]!);
      const size = await responseSize(numbox.origin + page.path, page.accepts);
      if (size.status !== 200) failures.push(`${page.name}: ${size.status} when asked once for its size`);
      rows.push({ name: page.name, ...summary, ratio: summary.perSecond / yardstick.perSecond, size });
    }
    await numbox.stop();
    results.push({ database: where.name, data, rows, failures });
  }
  await staticNext.stop();

  const postgres = url ? `; ${await postgresVersion(url)} on the same machine (loopback)` : "";
  console.log(
    `\n- Machine: ${describeMachine()}${postgres}; load average (1 min) ${loadBefore} before, ${loadAverage()} after.`,
  );
  console.log(
    `- Method: ${SIZE.messages.toLocaleString("en")} messages over ${SIZE.numbers} numbers in several countries; Numbox ` +
      `production build (\`node server.mjs\`); autocannon, ${CONNECTIONS} connections, a browser's request headers ` +
      `(compression accepted); per page a ${PLAN.warmUpSeconds} s warm-up, then ${PLAN.rounds} rounds of ${PLAN.seconds} s ` +
      `alternating the static page and Numbox's page; medians over the rounds. "× static": the page's req/s over the ` +
      `static page's median req/s in the same rounds.`,
  );
  for (const r of results) console.log(`- ${r.database}: ${describeData(r.data)}.`);
  console.log("\n| page | database | req/s | p50 (ms) | p99 (ms) | × static | response (KiB) | gzip (KiB) |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const r of results) {
    for (const row of r.rows) {
      console.log(
        `| ${row.name} | ${r.database} | ${row.perSecond.toFixed(0)} | ${row.p50} | ${row.p99} | ${ratio(row.ratio)} | ` +
          `${kib(row.size.plain)} | ${row.size.gzip === undefined ? "not compressed" : kib(row.size.gzip)} |`,
      );
    }
  }
  reportFailures(results.flatMap((r) => r.failures.map((f) => `${r.database}: ${f}`)));
}

export function ratio(x: number): string {
  return x < 0.1 ? x.toFixed(3) : x.toFixed(2);
}

const kib = (bytes: number) => (bytes / 1024).toFixed(1);

/** A run in which anything but a 2xx came back measured something else than the page: said loudly, and exit 1. */
export function reportFailures(failures: string[]): void {
  if (failures.length === 0) return;
  console.log(`\n**INVALID RUN**: ${failures.length} measurement(s) got responses other than 2xx:`);
  for (const failure of failures) console.log(`- ${failure}`);
  process.exitCode = 1;
}
