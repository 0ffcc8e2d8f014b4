import Redis from "ioredis";
import { processWide } from "@/lib/process-wide";

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

export function connect(url: string, log: Pick<Console, "log" | "error"> = console): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 500,
    connectTimeout: 2000,
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
