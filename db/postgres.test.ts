import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "@/lib/errors";
import { freshPostgres, type TestDatabase } from "@/lib/testing/databases";

// A connection killed under the pool (pg_terminate_backend: what `pg_ctl restart -m fast` does to every session)
// must fail what ran on it as "database unavailable", leave no uncaught error behind (Vitest fails the run on
// one), and not keep the pool from serving the next query.
describe("the Postgres pool when a connection is killed", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshPostgres();
  });
  afterAll(() => database?.close());

  const rows = (result: unknown) => (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows);

  it("sets a statement timeout on its connections", async () => {
    const [row] = rows(await database.db.execute(sql`show statement_timeout`)) as { statement_timeout: string }[];
    expect(row!.statement_timeout).toBe("10s");
  });

  it("fails a transaction whose connection is killed as unavailable, then serves the next query", async () => {
    let backend: (pid: number) => void = () => {};
    const pid = new Promise<number>((resolve) => (backend = resolve));
    const transaction = database.db.transaction(async (tx) => {
      const [row] = rows(await tx.execute(sql`select pg_backend_pid() as pid`)) as { pid: number }[];
      backend(row!.pid);
      await tx.execute(sql`select pg_sleep(30)`);
    });
    const failure = transaction.then(
      () => new Error("the transaction succeeded"),
      (error: unknown) => error,
    );
    await database.db.execute(sql`select pg_terminate_backend(${await pid})`);

    expect(isDatabaseUnavailable(await failure)).toBe(true);
    const [row] = rows(await database.db.execute(sql`select 1 as one`)) as { one: number }[];
    expect(row!.one).toBe(1);
  });
});
