import { setTimeout as sleep } from "node:timers/promises";
import { getDb } from "@/lib/server/database";
import { config, loggableConfig } from "@/lib/config";
import { isDatabaseUnavailable } from "@/lib/errors";
import { applyCors } from "@/lib/security/cors";
import { describeError } from "@/lib/security/log";
import { onChange } from "@/lib/live/fanout";
import { respond, responseCache } from "./respond";
import { startBackgroundJobs } from "./schedule";
import { serveReadiness } from "./health";
import { serveMetrics } from "./metrics";
import { observeRequest } from "./observe";
import { serveInbound } from "./inbound";
import { serveStream } from "./stream";
import { log, sendConsoleToLog } from "@/lib/observability/log";
import { CONNECT_TIMEOUT_MS, sharedRedis, whenReady } from "@/lib/limits/redis-store";

// A Postgres that is down at start is asked again after 1 s, then less and less often, at most every 30 s.
const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 30_000;

/**
 * Opens the database when the server starts. What a failure means decides what the process does:
 * - a fault that waiting will not fix — invalid configuration, an embedded database directory that another
 *   process holds, that is not a directory or is damaged, a Postgres that refuses our credentials or has no such
 *   database, a migration that fails — ends the process at once, non-zero, with the reason on stderr: better to
 *   stop where the operator (or the process manager) sees it than to answer 500 forever;
 * - a Postgres that cannot be reached (refused, timed out, name not resolving yet, still starting up) is an
 *   outage, not a mistake: the server starts anyway, answers 503 (clients and modem hosts retry), and keeps
 *   trying in the background; should the database, once reachable, turn out to be unopenable, it exits then.
 * Once the database has opened, an outage never ends the process: requests get 503 until it is back.
 */
export async function startServer(): Promise<void> {
  sendConsoleToLog();
  try {
    log().info({ config: loggableConfig(config()) }, "Numbox starting");
  } catch (error) {
    exitBecause(error);
  }
  // The doors before Next open now, not once the database has: a probe must hear "not ready" (503) while it
  // opens and migrates, rather than reach Next; every other door waits for the database as Next's routes do.
  serveFromCache();
  const limitsStore = openLimitsStore();
  try {
    await getDb();
  } catch (error) {
    if (!isOutage(error)) exitBecause(error);
    log().error(`${where()} is not reachable (${summary(error)}); answering 503 and retrying in the background.`);
    void keepTrying(summary(error));
  }
  await limitsStore;
  startBackgroundJobs();
}

/**
 * Lets server.mjs answer before Next. First the readiness probe and the metrics (lib/server/health.ts,
 * metrics.ts: never limited, cached or counted); every other request is counted in the metrics, then meets the
 * CORS policy (lib/security/cors.ts: a preflight answered, or the header set on whatever answers next), then
 * ingest and live streams on Node's request and response (lib/server/inbound.ts, stream.ts), and public pages
 * and the read API from memory, kept until the fan-out says what they show changed. In development only up to
 * CORS: the code changes under the pages there (and the stream's route handler serves it).
 */
function serveFromCache(): void {
  const state = globalThis as unknown as { __numboxRespond?: typeof respond };
  if (state.__numboxRespond) return;
  const production = process.env.NODE_ENV === "production";
  if (production) onChange((change) => responseCache.changed(change));
  state.__numboxRespond = (req, res, render) => {
    if (serveReadiness(req, res) || serveMetrics(req, res)) return;
    observeRequest(req, res);
    if (applyCors(req, res)) return;
    if (!production) return render();
    if (serveInbound(req, res) || serveStream(req, res)) return;
    respond(req, res, render);
  };
}

/**
 * Connects to the rate limits' Redis (REDIS_URL) alongside the database, so that the first visitors are counted
 * there with every other instance's, not in this one's memory while the connection opens. Waited for at most one
 * connection attempt, and never fatal: without Redis the limits count in memory (lib/limits/budget.ts).
 */
function openLimitsStore(): Promise<unknown> {
  const url = config().REDIS_URL;
  return url ? whenReady(sharedRedis(url), CONNECT_TIMEOUT_MS) : Promise.resolve();
}

async function keepTrying(lastReason: string): Promise<void> {
  for (let delay = RETRY_FIRST_MS; ; delay = Math.min(delay * 2, RETRY_MAX_MS)) {
    await sleep(delay);
    try {
      await getDb();
      log().info(`${where()} is reachable: opened.`);
      return;
    } catch (error) {
      if (!isOutage(error)) exitBecause(error);
      const reason = summary(error);
      if (reason !== lastReason) log().error(`${where()} is still not reachable (${reason}); retrying.`);
      lastReason = reason;
    }
  }
}

function isOutage(error: unknown): boolean {
  // Answered 503 while running, but at start another process holding the directory is not going away.
  return isDatabaseUnavailable(error) && !(error instanceof Error && error.name === "DatabaseLockedError");
}

function exitBecause(error: unknown): never {
  let subject = "its configuration is invalid";
  try {
    subject = `${where()} did not open`;
  } catch {
    // config() itself is what failed
  }
  // Plain text, not a log line: the last thing the process says, to whoever started it.
  process.stderr.write(`\nNumbox cannot start: ${subject}.\n${describeError(error, { stack: false })}\n\n`);
  process.exit(1);
}

function summary(error: unknown): string {
  return describeError(error, { stack: false }).replace(/\n/g, "; ");
}

/** The database in the operator's words, without the password a URL may carry. */
function where(): string {
  const { DATABASE_URL, PGLITE_DIR } = config();
  if (!DATABASE_URL) return `the embedded database (PGLITE_DIR=${PGLITE_DIR})`;
  const url = new URL(DATABASE_URL);
  return `the Postgres database ${decodeURIComponent(url.pathname.slice(1)) || "(default)"} at ${url.host}`;
}
