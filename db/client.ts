import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import postgres from "postgres";
import { PgDialect, PgTable } from "drizzle-orm/pg-core";
import { fillPlaceholders, getTableName, is, sql, type Query, type SQL } from "drizzle-orm";
import { drizzle as drizzlePglite, PgliteDatabase } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { Db } from "./db";
import * as schema from "./schema";
import { lockDirectory } from "./lock";
import { openPostgresPool } from "./postgres";
import { queryPrepared } from "./pglite-prepared";

export type { Db };

export type Database = {
  db: Db;
  driver: "pglite" | "postgres";
  close(): Promise<void>;
  // Postgres only: LISTEN on a channel over a dedicated, self-reconnecting connection (db/postgres.ts); `onListen`
  // runs each time the LISTEN is (re)established, since what was sent while it was down is lost. PGlite is one
  // process: there is nobody else to hear from.
  listen?: (channel: string, onPayload: (payload: string) => void, onListen: () => void) => Promise<void>;
};

/** The rows of a raw `db.execute`: PGlite answers { rows }, postgres.js an array. */
export function rowsOf<Row>(result: unknown): Row[] {
  return Array.isArray(result) ? (result as Row[]) : ((result as { rows?: Row[] }).rows ?? []);
}

const dialect = new PgDialect();

/**
 * A statement run as a prepared one, its text made once. Written with named placeholders (`sql.placeholder`) where
 * its values go, it is turned into text here, once; each run only fills in its values. Each connection plans it
 * once instead of at every run (drizzle prepares only its query builders): the store of a single message went
 * from 2.0 to 1.05 ms a transaction on Postgres (BENCHMARKS.md), and making the text of a statement as large as
 * the store's anew was 40 % of the CPU of that store (~7 % of its whole POST). Every connection keeps each text it prepared until it
 * closes: for the few statements run most. On the embedded database outside a transaction, PGlite's own named
 * statements (db/pglite-prepared.ts).
 */
export class PreparedStatement {
  private readonly query: Query;

  constructor(statement: SQL) {
    this.query = dialect.sqlToQuery(statement);
  }

  run(db: Db, values: Record<string, unknown>): Promise<unknown> {
    const query = { sql: this.query.sql, params: fillPlaceholders(this.query.params, values) };
    // The embedded database itself, not one of its transactions (which hold the locks queryPrepared takes).
    if (is(db, PgliteDatabase) && "$client" in db && db.$client instanceof PGlite) {
      return queryPrepared(db.$client, query.sql, query.params);
    }
    return db._.session.prepareQuery(query, undefined, "prepared", false).execute();
  }
}

/**
 * True for the embedded database. It runs in this process, on the thread that serves requests: while one of its
 * statements runs, no request is even read. Long jobs work in smaller steps there and yield between them.
 */
export function isEmbedded(db: Db): boolean {
  return is(db, PgliteDatabase);
}

// Our tables: a bare ANALYZE or VACUUM also goes through the ~60 system catalogs, 200 ms on PGlite whatever our data.
const TABLES = sql.join(
  Object.values(schema)
    .filter((table) => is(table, PgTable))
    .map((table) => sql.identifier(getTableName(table))),
  sql`, `,
);
// A sample of 300 × this rows per table (Postgres's default is 100: 30,000 rows). Our reads are index lookups by
// number and id, which need row counts and distinct numbers, not fine histograms; at 200k messages a sample of
// 3,000 took 18 ms on PGlite, one of 30,000 160 ms, all of it holding the thread that serves requests.
const STATISTICS_TARGET = 10;

/**
 * What autovacuum does on Postgres, done by hand on the embedded database, which has none:
 * - ANALYZE, without which the planner never has statistics and picks plans from table sizes alone (issue 8: a
 *   country page at 116 ms instead of 23 ms). It reads a sample, so it costs about the same at any size.
 * - with `vacuum`, VACUUM: the space of deleted rows is reused only once VACUUM has recorded it. Without it the
 *   directory grows by every message ever received, whatever the retention (50k messages in and out four times:
 *   10, 21, 32, 42 MB; with it 4, 8, 8, 8 MB). It reads only the pages changed since the last one.
 * Called after the migrations at open (ANALYZE) and after a purge that deleted rows (both).
 */
export async function maintainEmbedded(db: Db, options: { vacuum: boolean }): Promise<void> {
  if (!isEmbedded(db)) return;
  if (options.vacuum) await db.execute(sql`vacuum ${TABLES}`);
  await db.transaction(async (tx) => {
    await tx.execute(sql.raw(`set local default_statistics_target = ${STATISTICS_TARGET}`));
    await tx.execute(sql`analyze ${TABLES}`);
  });
}

/** A Postgres URL, or else an embedded PGlite directory ("memory://" for a throwaway one). */
export type DatabaseOptions = { url: string } | { url?: undefined; pgliteDir: string };

/** What the migrations create on the embedded database too: pg_trgm (migration 0008; its indexes are gone since 0013). */
export const PGLITE_EXTENSIONS = { pg_trgm };

const migrationsFolder = path.join(process.cwd(), "db", "migrations");
// Any constant works; it only has to be the same in every instance of Numbox sharing a database.
const MIGRATION_LOCK_ID = 7_260_431;

/**
 * Whether every migration this code ships with has been applied to the database (by this instance or another
 * one sharing it): a query, so it also says the database answers. Drizzle records applied migrations in
 * `drizzle.__drizzle_migrations`, one row each, on both drivers.
 */
export async function isMigrated(db: Db): Promise<boolean> {
  const [row] = rowsOf<{ applied: number }>(
    await db.execute(sql`select count(*)::int as applied from drizzle.__drizzle_migrations`),
  );
  return (row?.applied ?? 0) >= shippedMigrations();
}

let shipped: number | undefined;
function shippedMigrations(): number {
  shipped ??= (
    JSON.parse(fs.readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as {
      entries: unknown[];
    }
  ).entries.length;
  return shipped;
}

/** Opens the database and applies pending migrations. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url !== undefined ? openPostgres(options.url) : openPglite(options.pgliteDir);
}

async function openPostgres(url: string): Promise<Database> {
  // Migrate on a connection of its own, under an advisory lock, so instances starting together take turns.
  // No statement timeout here: a migration may rightly take long.
  const admin = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await admin`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    try {
      await migratePostgres(drizzlePostgres(admin), { migrationsFolder });
    } finally {
      await admin`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
    }
  } finally {
    await admin.end();
  }
  const pool = openPostgresPool(url);
  return { db: pool.db, driver: "postgres", close: pool.close, listen: pool.listen };
}

async function openPglite(dir: string): Promise<Database> {
  const inMemory = dir.startsWith("memory://");
  const lock = inMemory ? undefined : lockDirectory(dir);
  const release = () => lock?.release();
  try {
    const client = await PGlite.create(lock?.dir, { extensions: PGLITE_EXTENSIONS });
    const db = drizzlePglite(client, { schema });
    await migratePglite(drizzlePglite(client), { migrationsFolder });
    await maintainEmbedded(db, { vacuum: false });
    return {
      db,
      driver: "pglite",
      close: async () => {
        await client.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
