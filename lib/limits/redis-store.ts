import Redis from "ioredis";
import { processWide } from "@/lib/process-wide";

// How long one attempt to connect may take; also how long a starting server waits for the connection.
export const CONNECT_TIMEOUT_MS = 2_000;

/**
 * One Redis connection per process for the per-IP limits (REDIS_URL), shared by every route bundle and the proxy.
 * Built so that Redis being down never holds up or fails a visitor's request: commands are not queued while
 * disconnected and time out quickly, and the limiters then count in memory (see budget.ts) until it is back.
 * State changes are logged once each, not once per request.
 */
export function sharedRedis(url: string): Redis {
  const clients = processWide("redis clients", () => new Map<string, Redis>());
  let client = clients.get(url);
  if (!client) {
    client = connect(url);
    clients.set(url, client);
  }
  return client;
}

/**
 * Resolves true once `client` is ready, or false after `ms`. The server waits on this at start (bounded): until
 * the connection is ready every count goes to this instance's memory, so the first visitors of a fresh instance
 * would otherwise get a budget of their own on top of what the other instances counted for them in Redis.
 */
export function whenReady(client: Redis, ms: number): Promise<boolean> {
  if (client.status === "ready") return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      client.off("ready", onReady);
      resolve(ready);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), ms);
    client.once("ready", onReady);
  });
}

export function connect(url: string, log: Pick<Console, "log" | "error"> = console): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 500,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // Keep trying to come back, at most every 5 s.
    retryStrategy: (times) => Math.min(times * 500, 5000),
  });
  let healthy: boolean | null = null;
  client.on("ready", () => {
    if (healthy !== true) log.log(`rate limits: counting in Redis at ${redactedUrl(url)}, shared by every instance`);
    healthy = true;
  });
  client.on("error", (error: Error) => {
    if (healthy !== false) {
      log.error(
        `rate limits: Redis at ${redactedUrl(url)} unreachable (${error.message}); counting in memory until it is back`,
      );
    }
    healthy = false;
  });
  return client;
}

/** The URL without its password: secrets are never logged. */
function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(REDIS_URL)";
  }
}
