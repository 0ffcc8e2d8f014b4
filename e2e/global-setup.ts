import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { createPostgresDatabase, startServer } from "./servers";

/**
 * Every test reaches the shared servers from 127.0.0.1, hundreds of requests a minute (property tests, parallel
 * workers): one "address" far busier than any visitor, so the per-minute budgets are opened up here. The limits
 * themselves are tested on servers of their own (rate-limits.pglite.spec.ts); the open-connection caps stay at
 * their defaults, which the whole suite runs within.
 */
const SHARED_LIMITS = {
  PAGE_RATE_PER_MINUTE: "1000000",
  API_RATE_PER_MINUTE: "1000000",
  ADMIN_RATE_PER_MINUTE: "1000000",
  // Tests send wrong admin tokens on purpose: with the default, 127.0.0.1 would be locked out for an hour.
  ADMIN_FAILURES_PER_HOUR: "1000000",
};

/**
 * Starts the servers every test talks to, through HTTP only:
 * - "pglite":   production server on a fresh embedded database directory;
 * - "postgres": production server on a fresh Postgres database;
 * - "broken":   a server whose database cannot be reached, and with no ADMIN_TOKEN (503s and the admin hint).
 * Their addresses reach the test workers through the environment.
 */
export default async function globalSetup() {
  const adminToken = randomBytes(16).toString("hex");
  const pgliteDir = fs.mkdtempSync(path.join(os.tmpdir(), "numbox-e2e-"));
  const database = await createPostgresDatabase();

  const [pglite, pg, broken] = await Promise.all([
    startServer("pglite", { ...SHARED_LIMITS, ADMIN_TOKEN: adminToken, PGLITE_DIR: path.join(pgliteDir, "db") }),
    startServer("postgres", { ...SHARED_LIMITS, ADMIN_TOKEN: adminToken, DATABASE_URL: database.url }),
    startServer("broken", { DATABASE_URL: "postgres://numbox@127.0.0.1:1/unreachable" }, "/"),
  ]);

  process.env.NUMBOX_ADMIN_TOKEN = adminToken;
  process.env.NUMBOX_PGLITE_URL = pglite.url;
  process.env.NUMBOX_PGLITE_DIR = path.join(pgliteDir, "db");
  process.env.NUMBOX_POSTGRES_URL = pg.url;
  process.env.NUMBOX_BROKEN_URL = broken.url;

  return async () => {
    await Promise.all([pglite.stop(), pg.stop(), broken.stop()]);
    await database.drop();
    fs.rmSync(pgliteDir, { recursive: true, force: true });
  };
}
