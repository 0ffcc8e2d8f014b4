/**
 * `npm run bench -- growth` (Postgres only): whether a page costs more as the data grows. The same pages, the same
 * 200 numbers, 10k messages in one database and 1M in another, both served at once and loaded in alternating
 * rounds, so that the machine's load falls on both alike. Issue 8's target: p50 at 1M within 1.5× of p50 at 10k.
 */
import { describeMachine, loadAverage, postgresVersion } from "./machine";
import { CONNECTIONS } from "./load";
import { ensureBuild, startNumbox } from "./numbox";
import { scratchPostgres } from "./databases";
import { measure, summarize, type Target } from "./rounds";
import { benchPages, describeData, PLAN, ratio, reportFailures, seeded } from "./http";

const NUMBERS = 200;
const SIZES = [
  { label: "10k", messages: 10_000 },
  { label: "1M", messages: 1_000_000 },
];

export async function benchGrowth(url: string | undefined): Promise<void> {
  if (!url) {
    console.error("growth: skipped, it runs on Postgres only (set BENCH_DATABASE_URL)");
    return;
  }
  const loadBefore = loadAverage();
  await ensureBuild();
  const targets: Target[] = [];
  const servers: { stop(): Promise<void> }[] = [];
  const described: string[] = [];
  let pages: ReturnType<typeof benchPages> = [];
  for (const size of SIZES) {
    const database = { url: await scratchPostgres(url, `growth_${size.label.toLowerCase()}`) };
    // The seed is deterministic: the same numbers, busy, quiet and empty, in both databases.
    const data = await seeded(
      { name: `Postgres, ${size.label}`, database },
      { messages: size.messages, numbers: NUMBERS },
    );
    described.push(`- ${size.label}: ${describeData(data)}.`);
    // Each page as served (kept until it changes), and as rendered, which it is once after every change.
    pages = benchPages(data).flatMap((page) =>
      page.accepts === "html" ? [page, { ...page, name: `${page.name}, rendered`, uncached: true }] : [page],
    );
    const numbox = await startNumbox(database);
    servers.push(numbox);
    targets.push({
      name: `Numbox ${size.label}`,
      server: numbox,
      request: (page) => ({ url: numbox.origin + page.path, accepts: page.accepts }),
    });
  }
  const { runs, failures } = await measure(targets, pages, PLAN);
  for (const server of servers) await server.stop();

  console.log(
    `\n- Machine: ${describeMachine()}; ${await postgresVersion(url)} on the same machine (loopback); load average (1 min) ${loadBefore} before, ${loadAverage()} after.`,
  );
  console.log(
    `- Method: ${NUMBERS} numbers; two Numbox production servers, one on ${SIZES.map((s) => s.label).join(", the other on ")} ` +
      `messages (one Postgres database each); autocannon, ${CONNECTIONS} connections; per page a ${PLAN.warmUpSeconds} s ` +
      `warm-up, then ${PLAN.rounds} rounds of ${PLAN.seconds} s alternating the two; medians over the rounds.`,
  );
  for (const line of described) console.log(line);
  const [small, large] = SIZES.map((s) => s.label);
  console.log(
    `\n| page | p50 at ${small} (ms) | p50 at ${large} (ms) | ratio | req/s at ${small} | req/s at ${large} |`,
  );
  console.log("|---|---|---|---|---|---|");
  for (const [p, page] of pages.entries()) {
    const [a, b] = runs.map((byPage) => summarize(byPage[p]!)) as [
      ReturnType<typeof summarize>,
      ReturnType<typeof summarize>,
    ];
    // autocannon reports whole milliseconds: under 1 ms on both sides there is no ratio to tell.
    const growth = a.p50 > 0 ? ratio(b.p50 / a.p50) : "both < 1 ms";
    console.log(
      `| ${page.name} | ${a.p50} | ${b.p50} | ${growth} | ${a.perSecond.toFixed(0)} | ${b.perSecond.toFixed(0)} |`,
    );
  }
  reportFailures(failures);
}
