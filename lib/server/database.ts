import "server-only";
import { config } from "@/lib/config";
import { seedDemo } from "@/lib/demo/seed";
import { startFanout } from "@/lib/live/fanout";
import { openDatabase, type Database, type Db } from "@/db/client";
import { processWide } from "@/lib/process-wide";

export type { Db } from "@/db/client";

// One database per process, shared by dev-mode reloads and separately bundled entry points (instrumentation,
// routes). PGlite in particular must never be opened twice.
const state = processWide("database", (): { opened?: Promise<Database> } => ({}));

/**
 * The process's database, opened on first use (by lib/server/start.ts, when the server starts) with what must be
 * in place before it serves: migrations (openDatabase), the demo seed in demo mode, the fan-out's listener.
 */
export async function getDb(): Promise<Db> {
  state.opened ??= open().catch((error: unknown) => {
    // A failed open (Postgres not up yet) must not be remembered: the next request tries again.
    state.opened = undefined;
    throw error;
  });
  return (await state.opened).db;
}

async function open(): Promise<Database> {
  const { DATABASE_URL, PGLITE_DIR, DEMO, DEMO_GATEWAY_KEY } = config();
  const database = await openDatabase(DATABASE_URL ? { url: DATABASE_URL } : { pgliteDir: PGLITE_DIR });
  if (DEMO) await seedDemo(database.db, { gatewayKey: DEMO_GATEWAY_KEY });
  await startFanout(database);
  return database;
}
