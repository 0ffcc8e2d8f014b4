/**
 * The databases the cases run on. Every case starts from an empty one: a case must not measure what another
 * left behind (the HTTP case leaves 100k messages), and a run must not depend on what ran before it.
 */
import postgres from "postgres";
import { openDatabase, type Database } from "../../db/client";
import { onCleanup } from "./processes";

export type BenchDatabase = { name: string; open: () => Promise<Database> };

/** An in-memory PGlite, and the Postgres database at `url` (BENCH_DATABASE_URL) emptied, when there is one. */
export function openBenchDatabases(url: string | undefined): BenchDatabase[] {
  const databases: BenchDatabase[] = [
    { name: "PGlite (memory)", open: () => openDatabase({ pgliteDir: "memory://" }) },
  ];
  if (url) databases.push({ name: "Postgres", open: async () => (await emptyPostgres(url), openDatabase({ url })) });
  return databases;
}

// Postgres' "database does not exist".
const NO_SUCH_DATABASE = "3D000";

/** Empties the Postgres database at `url`: our tables and drizzle's record of migrations. Creates it if missing. */
export async function emptyPostgres(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(
      "drop schema if exists drizzle cascade; drop schema if exists public cascade; create schema public",
    );
  } catch (error) {
    if ((error as { code?: string }).code !== NO_SUCH_DATABASE) throw error;
    await withMaintenanceDatabase(url, (admin) => admin`create database ${admin(databaseName(url))}`);
  } finally {
    await sql.end();
  }
}

/**
 * A new empty database beside the one at `url` (its name + "_" + `suffix`), dropped at cleanup: for a case that
 * needs two data sets at once. Its URL.
 */
export async function scratchPostgres(url: string, suffix: string): Promise<string> {
  const name = `${databaseName(url)}_${suffix}`;
  // FORCE: a server of an earlier, interrupted run may still hold connections to it.
  const drop = () =>
    withMaintenanceDatabase(url, (admin) => admin`drop database if exists ${admin(name)} with (force)`);
  await drop();
  await withMaintenanceDatabase(url, (admin) => admin`create database ${admin(name)}`);
  onCleanup(drop);
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  return scratch.href;
}

function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name) throw new Error("BENCH_DATABASE_URL must name a database (postgres://…/bench)");
  return name;
}

/** Databases are created and dropped from another one: the server's own `postgres` database, same credentials. */
async function withMaintenanceDatabase(url: string, run: (admin: postgres.Sql) => Promise<unknown>): Promise<void> {
  const maintenance = new URL(url);
  maintenance.pathname = "/postgres";
  const admin = postgres(maintenance.href, { max: 1, onnotice: () => {} });
  try {
    await run(admin);
  } finally {
    await admin.end();
  }
}
