/**
 * Rounds that alternate the servers page by page: in each round every page is loaded on every server in turn
 * (the order reversed every other round), so that load from elsewhere on this shared machine falls on all of them
 * alike. Each figure is then a median over the rounds.
 */
import { load, type Accepts, type Run } from "./load";
import type { Server } from "./processes";
import { median } from "./stats";

export type Page = { name: string; path: string; accepts: Accepts; uncached?: boolean };

/** A server under load, and what it is asked for when a page is measured (the static app: always its page). */
export type Target = { name: string; server: Server; request(page: Page): { url: string; accepts: Accepts } };

export type Plan = { rounds: number; seconds: number; warmUpSeconds: number };

export type Summary = { perSecond: number; p50: number; p99: number };

export type Measured = {
  // runs[target][page]: one run per round.
  runs: Run[][][];
  // Every run, warm-up included, that got anything but a 2xx: such a measurement is not valid.
  failures: string[];
};

export async function measure(targets: Target[], pages: Page[], plan: Plan): Promise<Measured> {
  const failures: string[] = [];
  const runOnce = async (target: Target, page: Page, seconds: number, label: string) => {
    const { url, accepts } = target.request(page);
    const run = await load(url, accepts, seconds, page.uncached);
    target.server.assertRunning();
    const failed = Object.entries(run.failures).map(([what, n]) => `${n} × ${what}`);
    if (failed.length > 0) failures.push(`${label}, ${target.name}, ${page.name}: ${failed.join(", ")}`);
    console.error(
      `  ${label} ${target.name.padEnd(16)} ${page.name}: ${run.perSecond.toFixed(0)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms`,
    );
    return run;
  };

  // The first requests of a page compile and cache what every later one reuses: not what a running server does.
  for (const page of pages) for (const target of targets) await runOnce(target, page, plan.warmUpSeconds, "warm-up");

  const runs = targets.map(() => pages.map((): Run[] => []));
  for (let round = 0; round < plan.rounds; round++) {
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    for (const [p, page] of pages.entries()) {
      for (const target of order) {
        runs[targets.indexOf(target)]![p]!.push(
          await runOnce(target, page, plan.seconds, `round ${round + 1}/${plan.rounds}`),
        );
      }
    }
  }
  return { runs, failures };
}

/** Medians over the rounds of one target's runs (of one page, or of several pages pooled). */
export function summarize(runs: Run[]): Summary {
  return {
    perSecond: median(runs.map((r) => r.perSecond)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
  };
}
