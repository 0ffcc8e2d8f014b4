import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { openDatabase, type Database } from "@/db/client";

/**
 * Databases for tests, one per call, each migrated like a real one. Every test of the domain against a database
 * runs on both drivers with `describe.each(DRIVERS)` (the way drizzle-orm's own integration tests do): PGlite is
 * what `npm run dev` uses, Postgres is what a grown deployment uses, and the two differ in ways that matter (real
 * concurrency, type serialisation).
 */
export type TestDatabase = Pick<Database, "db" | "close">;

/** A fresh in-memory PGlite database. */
export function pgliteMemory(): Promise<TestDatabase> {
  return openDatabase({ pgliteDir: "memory://" });
}

/** Both drivers, for `describe.each(DRIVERS)`: repository-level tests run on PGlite and on a real Postgres. */
export const DRIVERS: [string, () => Promise<TestDatabase>][] = [
  ["PGlite", pgliteMemory],
  ["Postgres", () => freshPostgres()],
];

export const DEFAULT_TEST_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres";

/**
 * A fresh, uniquely named database on the Postgres server at TEST_DATABASE_URL; `close()` ends the client and
 * drops the database. An unreachable server is an error, never a skip: CI must not silently lose the Postgres half.
 */
export async function freshPostgres(): Promise<TestDatabase & { url: string }> {
  const serverUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
  const name = `numbox_test_${randomBytes(6).toString("hex")}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;

  await onServer(serverUrl, (sql) => sql.unsafe(`create database ${name}`));
  let database: Database;
  try {
    database = await openDatabase({ url: url.toString() });
  } catch (error) {
    await dropDatabase(serverUrl, name);
    throw error;
  }
  return {
    db: database.db,
    // For a second instance on the same database (openDatabase({ url })), as two app servers would be.
    url: url.toString(),
    close: async () => {
      await database.close();
      await dropDatabase(serverUrl, name);
    },
  };
}

function dropDatabase(serverUrl: string, name: string) {
  return onServer(serverUrl, (sql) => sql.unsafe(`drop database if exists ${name} with (force)`));
}

async function onServer(serverUrl: string, run: (sql: postgres.Sql) => Promise<unknown>): Promise<void> {
  const sql = postgres(serverUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await run(sql);
  } catch (error) {
    // Unreachable, wrong credentials, no CREATEDB right: all mean "this machine cannot run the Postgres half".
    throw new Error(
      `The Postgres tests need a Postgres server at ${redact(serverUrl)} where they may create databases, ` +
        `and that failed: ${(error as Error).message || (error as { code?: string }).code}. Start Postgres, or ` +
        `point TEST_DATABASE_URL at one. These tests fail rather than skip, so CI never loses them silently.`,
      { cause: error },
    );
  } finally {
    await sql.end({ timeout: 5 });
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}
