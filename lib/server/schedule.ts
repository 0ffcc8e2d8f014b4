import { randomUUID } from "node:crypto";
import { processWide } from "@/lib/process-wide";
import { getDb } from "@/lib/server/database";
import { config } from "@/lib/config";
import { toMessage } from "@/lib/inbox/message";
import { emitExpiredParts } from "@/lib/ingest/parts";
import { announce, announceChange } from "@/lib/live/fanout";
import { takeLease } from "@/lib/retention/lease";
import { policyFrom, purge } from "@/lib/retention/purge";
import { describeError } from "@/lib/security/log";

// Parts wait at least 10 minutes for their siblings; looking once a minute shows an incomplete message at most
// a minute late.
const PARTS_SWEEP_MS = 60_000;

/** Background work of a running server. Each job survives its own failures (the database may be down a while). */
export function startBackgroundJobs(): void {
  const jobs = processWide("background jobs", () => ({ started: false }));
  if (jobs.started) return; // once per process, whatever the bundling
  jobs.started = true;

  every(PARTS_SWEEP_MS, "parts sweep", async () => {
    const emitted = await emitExpiredParts(await getDb());
    await announce(emitted.map(toMessage));
  });

  // Of several instances sharing a database, the one holding the lease purges; it renews it each round.
  const holder = randomUUID();
  const intervalMs = config().PURGE_INTERVAL_MINUTES * 60_000;
  every(intervalMs, "purge", async () => {
    const db = await getDb();
    if (!(await takeLease(db, "purge", holder, intervalMs * 2))) return;
    const report = await purge(db, policyFrom(config()));
    const total = Object.values(report).reduce((a, b) => a + b, 0);
    if (total === 0) return;
    console.log("purge:", JSON.stringify(report));
    // Pages show counts and messages the purge just removed.
    await announceChange("everything");
  });
}

function every(ms: number, name: string, job: () => Promise<void>) {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    job()
      .catch((error: unknown) => console.error(`${name} failed:`, describeError(error, { stack: false })))
      .finally(() => (running = false));
  }, ms);
  timer.unref();
}
