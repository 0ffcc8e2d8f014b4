import { getDb } from "@/db";
import { toMessage } from "@/lib/inbox/message";
import { emitExpiredParts } from "@/lib/ingest/parts";
import { bus } from "@/lib/live/bus";

// Parts wait at least 10 minutes for their siblings; looking once a minute shows an incomplete message at most
// a minute late.
const PARTS_SWEEP_MS = 60_000;

/** Background work of a running server. Each job survives its own failures (the database may be down a while). */
export function startBackgroundJobs(): void {
  const state = globalThis as unknown as { __numboxJobs?: boolean };
  if (state.__numboxJobs) return; // once per process, whatever the bundling
  state.__numboxJobs = true;

  every(PARTS_SWEEP_MS, "parts sweep", async () => {
    const emitted = await emitExpiredParts(await getDb());
    for (const message of emitted) bus.publish(toMessage(message));
  });
}

function every(ms: number, name: string, job: () => Promise<void>) {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    job()
      .catch((error: unknown) => console.error(`${name} failed:`, error instanceof Error ? error.message : error))
      .finally(() => (running = false));
  }, ms);
  timer.unref();
}
