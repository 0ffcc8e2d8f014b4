/**
 * `npm run bench`: every case in turn; `npm run bench -- <case>` runs one. Each compares Numbox with a baseline
 * measured in the same run, on the same machine, because machines here are shared and noisy: read the ratios,
 * not the absolute numbers. Set BENCH_DATABASE_URL to a Postgres database the bench may empty to measure
 * Postgres too; BENCH_PORT to the first of a few free ports if the system's choice will not do.
 */
import { benchExplain } from "./explain";
import { benchFreshness } from "./freshness";
import { benchGrowth } from "./growth";
import { benchHttp } from "./http";
import { benchIngest } from "./ingest";
import { benchIngestHttp } from "./ingest-http";
import { benchLive } from "./live";
import { describeMachine } from "./machine";
import { benchPurge } from "./purge";
import { cleanUpOnExit, cleanup } from "./processes";

const CASES: Record<string, (url: string | undefined) => Promise<void>> = {
  // Storing one message per call (what a webhook does), against a bare INSERT.
  ingest: benchIngest,
  // Ingest POSTs over HTTP, single messages and batches of 100, against a no-op POST route and a bare INSERT.
  "ingest-http": benchIngestHttp,
  // Ingestion while the retention purge deletes 100k messages, against idle ingestion.
  purge: benchPurge,
  // Pages and the read API over HTTP, against a static page of a minimal Next app.
  http: benchHttp,
  // Page latency at 10k and at 1M messages (Postgres only).
  growth: benchGrowth,
  // How soon a stored message shows in another instance's kept pages, against the POST's own latency.
  freshness: benchFreshness,
  // POST → SSE, fan-out to 5,000 subscribers, 10,000 held streams and their reconnect storm, against bare node:http.
  live: benchLive,
};
// Run only when named: `npm run bench -- explain [messages]`, the plan of every page and API read at 1M messages.
const ON_REQUEST: Record<string, (url: string | undefined) => Promise<void>> = {
  explain: (url) => benchExplain(url, Number(process.argv[3]) || undefined),
};

async function main() {
  const only = process.argv[2];
  if (only !== undefined && !(only in CASES) && !(only in ON_REQUEST)) {
    console.error(
      `unknown case '${only}': one of ${[...Object.keys(CASES), ...Object.keys(ON_REQUEST)].join(", ")}, or none for all but explain`,
    );
    process.exit(2);
  }
  const url = process.env.BENCH_DATABASE_URL;
  if (!url)
    console.error("(set BENCH_DATABASE_URL to a Postgres database the bench may empty to measure Postgres too)");
  console.log(`machine: ${describeMachine()}`);
  cleanUpOnExit();
  try {
    if (only !== undefined && only in ON_REQUEST) await ON_REQUEST[only]!(url);
    for (const [name, run] of Object.entries(CASES)) {
      if (only === undefined || only === name) await run(url);
    }
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
