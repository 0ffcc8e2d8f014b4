/**
 * `npm run bench -- freshness`: how soon a message stored through one instance shows in a fresh load of its
 * inbox page, the read API and the home page on another instance, now that those are served from memory until
 * they change (issue 8's target: within 1 s). Two instances share the Postgres database of BENCH_DATABASE_URL;
 * without it, one PGlite instance (stored and read through the same process). Baseline in the same run: the
 * POST's own latency, the time the sender waits for the message to be stored.
 */
import path from "node:path";
import { performance } from "node:perf_hooks";
import { openDatabase } from "../../db/client";
import { createGateway } from "../../lib/admin/gateways";
import { createNumber } from "../../lib/admin/numbers";
import { emptyPostgres } from "./databases";
import { describeMachine, loadAverage } from "./machine";
import { ensureBuild, startNumbox } from "./numbox";
import { tempDir, type Server } from "./processes";
import { seedBenchData } from "./seed";

const MESSAGES = 40;
const SIZE = { messages: 10_000, numbers: 50 };
const NUMBER = "+998901009999";

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

export async function benchFreshness(url: string | undefined): Promise<void> {
  const loadBefore = loadAverage();
  await ensureBuild();
  const database = url ? { url } : { pgliteDir: path.join(tempDir("pglite"), "db") };
  if (url) await emptyPostgres(url);
  const opened = await openDatabase(database);
  let apiKey: string;
  try {
    await seedBenchData(opened.db, SIZE);
    ({ apiKey } = await createGateway(opened.db, { id: "fresh", kind: "generic" }));
    await createNumber(opened.db, { number: NUMBER, gateway: "fresh" });
  } finally {
    await opened.close();
  }
  const writer = await startNumbox(database);
  const reader = url ? await startNumbox(database) : writer;
  const digits = NUMBER.slice(1);
  // What each view must show once message i is stored: the inbox and its API the message itself; the lists
  // (home, country pages, the number list, all kept as one scope) the number's new count for the last day.
  const views: { name: string; path: string; shows(body: string, i: number): boolean }[] = [
    { name: "inbox page", path: `/numbers/${digits}`, shows: (body, i) => body.includes(`(fresh ${i})`) },
    { name: "read API", path: `/api/v1/numbers/${digits}/messages`, shows: (body, i) => body.includes(`(fresh ${i})`) },
    {
      name: "number list (home and country pages' scope)",
      path: "/api/v1/numbers?country=uz",
      shows: (body, i) =>
        (JSON.parse(body) as { number: string; messages24h: number }[]).some(
          (n) => n.number === NUMBER && n.messages24h === i + 1,
        ),
    },
  ];
  const waits = new Map(views.map((view) => [view.name, [] as number[]]));
  const posts: number[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    const text = `Your code is ${100000 + i} (fresh ${i})`;
    // Each view is kept by the reader before the message is sent: what it must notice is a change.
    for (const view of views) await get(reader, view.path);
    const sent = performance.now();
    const response = await fetch(`${writer.origin}/api/inbound/fresh`, {
      method: "POST",
      headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({ to: NUMBER, from: "Fresh", text }),
    });
    if (response.status !== 200) throw new Error(`the POST got ${response.status}: ${await response.text()}`);
    const stored = performance.now();
    posts.push(stored - sent);
    for (const view of views) {
      while (!view.shows(await get(reader, view.path), i)) {
        if (performance.now() - stored > 10_000) throw new Error(`${view.name}: message ${i} not shown after 10 s`);
      }
      waits.get(view.name)!.push(performance.now() - stored);
    }
  }
  await Promise.all([writer.stop(), reader === writer ? undefined : reader.stop()]);

  console.log(`\n- Machine: ${describeMachine()}; load average (1 min) ${loadBefore} before, ${loadAverage()} after.`);
  console.log(
    `- Method: ${url ? "two instances on one Postgres database" : "one PGlite instance"}, ${SIZE.messages.toLocaleString("en")} ` +
      `messages over ${SIZE.numbers} numbers; ${MESSAGES} times: the reader keeps each view, a message is posted to the ` +
      `writer, then the reader is asked back to back until each view in turn shows it (the table's order; every time ` +
      `counted from the POST's answer, so a view's time includes the wait for those above it, and a re-render).`,
  );
  console.log("\n| view | p50 (ms) | p99 (ms) | max (ms) |");
  console.log("|---|---|---|---|");
  console.log(
    `| baseline: the POST itself | ${ms(percentile(posts, 0.5))} | ${ms(percentile(posts, 0.99))} | ${ms(Math.max(...posts))} |`,
  );
  for (const [name, times] of waits) {
    console.log(
      `| ${name} | ${ms(percentile(times, 0.5))} | ${ms(percentile(times, 0.99))} | ${ms(Math.max(...times))} |`,
    );
  }
}

async function get(server: Server, path: string): Promise<string> {
  const response = await fetch(server.origin + path);
  if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
  return response.text();
}

const ms = (x: number) => x.toFixed(1);
