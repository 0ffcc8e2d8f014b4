/**
 * Numbox as it runs in production: `node server.mjs` with NODE_ENV=production, on the build `npm run build` made.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { freePort, run, startServer, type Server } from "./processes";

// What the build is made from: a build older than any of these would measure old code.
const BUILD_INPUTS = [
  "app",
  "components",
  "lib",
  "db",
  "public",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.ts",
  "postcss.config.mjs",
  "package-lock.json",
];

/** Runs `npm run build` unless the build in .next is newer than every file it is made from. */
export async function ensureBuild(): Promise<void> {
  const root = process.cwd();
  // No build at all (a fresh worktree) is older than everything: mtime() calls a missing file newest.
  const buildId = path.join(root, ".next", "BUILD_ID");
  const builtAt = fs.existsSync(buildId) ? mtime(buildId) : -Infinity;
  // Tracked and new files alike; a deleted one has no time and counts as a change.
  const inputs = execFileSync(
    "git",
    ["ls-files", "--cached", "--others", "--exclude-standard", "--", ...BUILD_INPUTS],
    { cwd: root, encoding: "utf8" },
  )
    .split("\n")
    .filter(Boolean);
  if (inputs.every((file) => mtime(path.join(root, file)) < builtAt)) return;
  console.error("the build is missing or older than the code: npm run build");
  await run("npm", ["run", "build"], { cwd: root });
}

function mtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return Infinity;
  }
}

// Every variable of lib/config.ts the bench sets, and those it must not inherit from the shell it runs in
// (a developer's DATABASE_URL, DEMO=1 or REDIS_URL would change what is measured).
const UNINHERITED = [
  "DATABASE_URL",
  "PGLITE_DIR",
  "DEMO",
  "REDIS_URL",
  "ADMIN_TOKEN",
  "TRUST_PROXY",
  "PORT",
  "PUBLIC_URL",
];
// Far above anything the load tool sends: a 429 would be measured as a fast page.
const UNLIMITED = "1000000000";
// The longest period lib/config.ts accepts.
const WEEK_MINUTES = 7 * 24 * 60;

/**
 * Starts Numbox on a database the bench has seeded (and closed: PGlite is one process's). Stopped at cleanup.
 * `port`: a given one, to start it again where its clients reconnect (the live case's restart).
 */
export async function startNumbox(
  database: { url: string } | { pgliteDir: string },
  options: { port?: number } = {},
): Promise<Server> {
  const port = options.port ?? (await freePort());
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !UNINHERITED.includes(name)));
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    ...("url" in database ? { DATABASE_URL: database.url } : { PGLITE_DIR: database.pgliteDir }),
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    // The load tool is one address sending thousands of requests a second.
    PAGE_RATE_PER_MINUTE: UNLIMITED,
    API_RATE_PER_MINUTE: UNLIMITED,
    ADMIN_RATE_PER_MINUTE: UNLIMITED,
    // Per gateway: the ingest cases post thousands of messages a second through one gateway.
    INGEST_RATE_PER_MINUTE: UNLIMITED,
    // The live case holds 10,000 streams from this one address (lib/config.ts has no maximum for it).
    STREAMS_PER_ADDRESS: UNLIMITED,
    // The data must stay what was seeded: no purge during the run, nothing old enough or numerous enough for one.
    RETENTION_DAYS: "36500",
    MAX_MESSAGES_PER_NUMBER: UNLIMITED,
    PURGE_INTERVAL_MINUTES: String(WEEK_MINUTES),
    // The host was seen when the data was seeded; it must not turn offline (another page) during a long run.
    HOST_OFFLINE_AFTER_MINUTES: String(WEEK_MINUTES),
  };
  return startServer("Numbox", process.execPath, ["server.mjs"], { cwd: process.cwd(), env, port, readyPath: "/" });
}
