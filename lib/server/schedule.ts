import { randomUUID } from "node:crypto";
import { processWide } from "@/lib/process-wide";
import { getDb } from "@/lib/server/database";
import { config } from "@/lib/config";
import { toMessage } from "@/lib/inbox/message";
import { emitExpiredParts } from "@/lib/ingest/parts";
import { announce, announceChange } from "@/lib/live/fanout";
import { takeLease } from "@/lib/retention/lease";
import { gatewayAlerts } from "@/lib/alerts/gateway-silence";
import { alertBody, deliverAlert } from "@/lib/alerts/webhook";
import { policyFrom, purge } from "@/lib/retention/purge";
import { describeError } from "@/lib/security/log";
import { classifyOldMessages } from "@/lib/services/backfill";
import { recountEveryNumber } from "@/lib/inbox/activity";
import { log } from "@/lib/observability/log";

// Parts wait at least 10 minutes for their siblings; looking once a minute shows an incomplete message at most
// a minute late.
const PARTS_SWEEP_MS = 60_000;
const CLASSIFY_RETRY_MS = 30_000;
// A silent gateway is told of within this long after HOST_OFFLINE_AFTER_MINUTES, a recovered one within this.
const ALERT_CHECK_MS = 30_000;

/** Background work of a running server. Each job survives its own failures (the database may be down a while). */
export function startBackgroundJobs(): void {
  const jobs = processWide("background jobs", () => ({ started: false }));
  if (jobs.started) return; // once per process, whatever the bundling
  jobs.started = true;

  // Once: the messages of an older release get their service (lib/services/backfill.ts). Retried while the
  // database is unreachable, like the jobs below.
  let classified = false;
  every(
    CLASSIFY_RETRY_MS,
    "classifying old messages",
    async () => {
      if (classified) return;
      const count = await classifyOldMessages(await getDb());
      classified = true;
      if (count > 0) {
        // The service pages' read model counts only classified messages: these are counted now.
        await recountEveryNumber(await getDb(), new Date());
        log().info({ count }, "classified messages stored before services by their service");
        await announceChange("everything");
      }
    },
    { now: true },
  );

  every(PARTS_SWEEP_MS, "parts sweep", async () => {
    const emitted = await emitExpiredParts(await getDb());
    await announce(emitted.map(toMessage));
  });

  // Gateways gone silent or back: each change logged, and posted to the operator's webhook, once whichever
  // instance finds it (lib/alerts/gateway-silence.ts).
  every(ALERT_CHECK_MS, "gateway alerts", async () => {
    const { HOST_OFFLINE_AFTER_MINUTES: minutes, ALERT_WEBHOOK_URL: url } = config();
    for (const alert of await gatewayAlerts(await getDb(), minutes)) {
      const offline = alert.event === "gateway.offline";
      log()[offline ? "warn" : "info"](alert, offline ? "gateway went silent" : "gateway is sending again");
      if (!url) continue;
      void deliverAlert(url, alertBody(alert, minutes)).then(({ delivered, attempts, last }) => {
        if (!delivered) log().error({ ...alert, attempts, last }, "the alert webhook did not take the alert");
      });
    }
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
    log().info({ purged: report }, "purge");
    // Pages show counts and messages the purge just removed.
    await announceChange("everything");
  });
}

function every(ms: number, name: string, job: () => Promise<void>, options: { now?: boolean } = {}) {
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    job()
      .catch((error: unknown) =>
        log().error({ job: name, error: describeError(error, { stack: false }) }, `${name} failed`),
      )
      .finally(() => (running = false));
  };
  const timer = setInterval(run, ms);
  timer.unref();
  if (options.now) run();
}
