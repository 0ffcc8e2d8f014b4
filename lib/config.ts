import { z } from "zod";
import { parseAllowList } from "./ip-allowlist";

/**
 * Every environment variable the server reads, parsed once. Each default says why it is what it is.
 * Framework-free so scripts and tests can load it too.
 */
const flag = z
  .string()
  .optional()
  .transform((v) => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim()));

const DEFAULT_TRUSTED_PROXIES = "127.0.0.0/8,::1,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7";

/**
 * An integer variable within [min, max]; out of range fails the start with a message naming the variable and
 * its bounds. Every duration has a max: a timer longer than 2^31-1 ms (24.8 days) fires at once, over and over,
 * and a day-long heartbeat or wait is a typo, not a setting.
 */
const int = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) => {
  const error =
    max === Number.MAX_SAFE_INTEGER
      ? `must be an integer of at least ${min}`
      : `must be an integer from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error }).default(fallback);
};
const WEEK_MINUTES = 7 * 24 * 60;
// A century is how an operator says "forever"; anything longer is a typo.
const CENTURY_DAYS = 36_500;

/** pino's levels, from the most to the least said; `silent` says nothing. */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;

/** PUBLIC_URL when the operator set none: the address of `npm run dev` on the operator's own machine. */
export const DEFAULT_PUBLIC_URL = "http://localhost:3000";

const schema = z.object({
  PORT: int(3000, 1, 65_535),
  // Unset → the embedded database, so `npm run dev` needs nothing installed.
  DATABASE_URL: z.string().url().optional(),
  PGLITE_DIR: z.string().min(1).default(".data/pglite"),
  // Provider signatures and canonical links are computed against this, never against the Host header.
  PUBLIC_URL: z.string().url().default(DEFAULT_PUBLIC_URL),
  // Unset → the admin API is off (403 with a hint) rather than open.
  ADMIN_TOKEN: z.string().min(1).optional(),
  // What the server logs (lib/observability/log.ts): each request at info, refused ingest at warn, faults at error.
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  // Set → GET /metrics wants it as a bearer token; unset → /metrics is open (put it behind your network).
  // At least 16 characters: nothing limits how often a wrong one may be tried.
  METRICS_TOKEN: z.string().min(16).optional(),
  // 0 → the socket peer is the client; a client-sent X-Forwarded-For is never believed by default.
  TRUST_PROXY: int(0),
  // Which socket peers may speak for a client in X-Forwarded-For: where reverse proxies usually sit (loopback,
  // private networks), never the open internet, so a client that reaches Node directly cannot forge its address.
  TRUSTED_PROXIES: z
    .string()
    .default(DEFAULT_TRUSTED_PROXIES)
    .transform((value, context) => {
      const list = parseAllowList(value.split(",").filter((entry) => entry.trim() !== ""));
      if (typeof list !== "string") return list;
      context.addIssue({ code: "custom", message: `${list} (expected IPs or CIDR ranges, separated by commas)` });
      return z.NEVER;
    }),
  RETENTION_DAYS: int(7, 1, CENTURY_DAYS),
  MAX_MESSAGES_PER_NUMBER: int(1000, 1),
  // Refused requests are kept longer than messages: an operator may look at them only once a week or so.
  QUARANTINE_RETENTION_DAYS: int(30, 1, CENTURY_DAYS),
  // How often the purge runs; a message outlives the retention period by at most this much. At most a week: a
  // purge rarer than that lets the retention period slip by as much.
  PURGE_INTERVAL_MINUTES: int(10, 1, WEEK_MINUTES),
  // Rows per delete statement: short transactions, so ingestion never waits long behind a purge.
  PURGE_BATCH_SIZE: int(1000, 1),
  // Demo numbers are seeded only where asked for (npm run dev turns it on), never silently in production.
  DEMO: flag,
  // Lets `npm run simulate` post to the demo gateway; only meaningful with DEMO on.
  DEMO_GATEWAY_KEY: z.string().min(8).default("demo-gateway-key"),
  // A 255-part UCS-2 SMS is < 40 KiB; a batch of 100 long messages still fits in 256 KiB.
  INGEST_MAX_BODY_BYTES: int(256 * 1024, 1024),
  // Per gateway: a busy provider number peaks at a few messages a second; 100/s stops only a runaway sender.
  INGEST_RATE_PER_MINUTE: int(6000, 1),
  // GET sources put the whole message in the query: a 255-part message percent-encoded still fits in 64 KiB.
  INGEST_MAX_URL_LENGTH: int(64 * 1024, 256),
  // A modem that has not posted or sent a heartbeat for this long is shown as offline.
  HOST_OFFLINE_AFTER_MINUTES: int(15, 1, WEEK_MINUTES),
  // Proxies close idle connections after 30–60 s; a comment line every 20 s keeps the stream open. An hour is
  // longer than any proxy waits.
  SSE_HEARTBEAT_SECONDS: int(20, 1, 3600),
  // How long EventSource waits before reconnecting after a drop; at most ten minutes of a dead inbox page.
  SSE_RETRY_MS: int(3000, 100, 600_000),
  // A stream ends after this long and the client reconnects (replaying by Last-Event-ID): behind a load balancer,
  // connections then spread again over the instances, including ones started since. A day at most.
  SSE_MAX_LIFETIME_SECONDS: int(1800, 1, 86_400),
  // Replay after a reconnect is capped so a very old cursor cannot make one request read a whole inbox.
  SSE_REPLAY_LIMIT: int(500, 1),
  // A wait call holds a connection open; two minutes covers any real signup flow, an hour any proxy's patience.
  WAIT_MAX_SECONDS: int(120, 1, 3600),
  // "Codes don't arrive" reports per address per hour: a visitor reports a handful of numbers at most.
  REPORTS_PER_HOUR: int(10, 1),
  // Per-IP limits (lib/limits). A page view is the document plus the prefetches of its links (the home page:
  // about 20): a reader stays well below 300 a minute; a scraper looping at 5 requests a second is stopped
  // within the minute.
  PAGE_RATE_PER_MINUTE: int(300, 1),
  // Public JSON API calls (stream and wait openings included): a CI job polling once a second uses 60.
  API_RATE_PER_MINUTE: int(240, 1),
  // Open live streams per address: one per browser tab, with room for a household or office behind one NAT.
  STREAMS_PER_ADDRESS: int(20, 1),
  // Open wait calls per address: a CI runner waiting on a few numbers in parallel.
  WAITS_PER_ADDRESS: int(10, 1),
  // Admin API calls per address: generous for scripts adding many numbers; it only stops a runaway loop.
  ADMIN_RATE_PER_MINUTE: int(300, 1),
  // Wrong admin tokens per address per hour, after which that address is refused even with the right one.
  ADMIN_FAILURES_PER_HOUR: int(10, 1),
  // URLs per sitemap file (lib/seo/sitemap.ts): the protocol's cap is 50,000 and 50 MB, and each URL here carries
  // its 11 language links, so 30,000 keeps a file near 40 MB.
  SITEMAP_MAX_URLS: int(30_000, 1, 50_000),
  // Set → a JSON POST there each time a gateway that was sending goes silent for HOST_OFFLINE_AFTER_MINUTES, and
  // when it sends again (lib/alerts). A secret in its own right (a Slack webhook's URL is its credential).
  ALERT_WEBHOOK_URL: z.string().url().optional(),
  // Unset → limits are counted in this process's memory; set (redis://…) → shared by every instance.
  REDIS_URL: z.string().url().optional(),
});

export type Config = z.infer<typeof schema>;

export function parseConfig(env: Record<string, string | undefined>): Config {
  // An empty variable (FOO= in a .env file or a compose file) means "not set", not "set to nothing".
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(set);
  if (!result.success) {
    // One line per variable (zod may report one value twice), and never the value: some are secrets.
    const problems = [...new Set(result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`))].join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return result.data;
}

let cached: Config | undefined;

export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

// Settings that are secrets: the log says whether they are set, never what they are.
const SECRETS = new Set<keyof Config>(["ADMIN_TOKEN", "METRICS_TOKEN", "DEMO_GATEWAY_KEY", "ALERT_WEBHOOK_URL"]);
// Settings that are URLs and may carry a password (postgres://user:password@…).
const CREDENTIAL_URLS = new Set<keyof Config>(["DATABASE_URL", "REDIS_URL"]);

/** The settings as the start-up log line shows them: secrets as "(set)", passwords in URLs masked. */
export function loggableConfig(settings: Config): Record<string, string | number | boolean> {
  const shown: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(settings) as [keyof Config, unknown][]) {
    if (value === undefined) continue;
    if (SECRETS.has(name)) shown[name] = "(set)";
    else if (CREDENTIAL_URLS.has(name)) shown[name] = withoutPassword(String(value));
    else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") shown[name] = value;
    // Parsed into an object (the proxies' BlockList): as the operator wrote it.
    else shown[name] = process.env[name] || "(default)";
  }
  return shown;
}

function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}
