import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { ownDatabase, POSTGRES_ADMIN_URL, runUntilExit } from "./servers";
import { test, expect } from "./fixtures";

/**
 * A server that cannot start must stop, non-zero, saying why — not linger answering 500, or (without its port)
 * hold database connections and take part in the purge without serving anyone. Each test starts servers of its
 * own, on the database its project is about.
 */
type Driver = "pglite" | "postgres";

test("a database that cannot be opened ends the start at once, non-zero, with the reason", async ({}, testInfo) => {
  test.setTimeout(150_000);
  const driver = testInfo.project.metadata.server as Driver;

  if (driver === "postgres") {
    const name = `numbox_missing_${randomBytes(4).toString("hex")}`;
    const url = new URL(POSTGRES_ADMIN_URL);
    url.pathname = `/${name}`;
    const { code, output } = await runUntilExit({ DATABASE_URL: url.toString() });
    expect(code, output).toBe(1);
    expect(output).toContain(`Numbox cannot start: the Postgres database ${name} at ${url.host} did not open.`);
    expect(output).toContain(`database "${name}" does not exist`);
    return;
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "numbox-e2e-unopenable-"));
  try {
    const file = path.join(tmp, "a-file");
    fs.writeFileSync(file, "not a database");
    const notADirectory = await runUntilExit({ DATABASE_URL: "", PGLITE_DIR: file });
    expect(notADirectory.code, notADirectory.output).toBe(1);
    expect(notADirectory.output).toContain(
      `Numbox cannot start: the embedded database (PGLITE_DIR=${file}) did not open.`,
    );
    expect(notADirectory.output).toContain(`The embedded database path ${file} is not a directory`);

    // A directory that looks like a database and is not one (damaged, or another program's).
    const damaged = path.join(tmp, "damaged");
    fs.mkdirSync(damaged);
    fs.writeFileSync(path.join(damaged, "PG_VERSION"), "17\n");
    const broken = await runUntilExit({ DATABASE_URL: "", PGLITE_DIR: damaged });
    expect(broken.code, broken.output).toBe(1);
    expect(broken.output).toContain(`Numbox cannot start: the embedded database (PGLITE_DIR=${damaged}) did not open.`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test("a setting out of range ends the start, naming the variable and its range", async ({}, testInfo) => {
  test.setTimeout(150_000);
  const database = await ownDatabase(testInfo.project.metadata.server as Driver);
  try {
    // Past 2^31-1 ms: this interval used to make the purge run back to back.
    const { code, output } = await runUntilExit({ ...database.env, PURGE_INTERVAL_MINUTES: "35792" });
    expect(code, output).toBe(1);
    expect(output).toContain("Numbox cannot start: its configuration is invalid.");
    expect(output).toContain("PURGE_INTERVAL_MINUTES: must be an integer from 1 to 10080");
  } finally {
    await database.drop();
  }
});

test("a port already in use ends the start at once, non-zero, before the database is touched", async ({}, testInfo) => {
  test.setTimeout(150_000);
  const driver = testInfo.project.metadata.server as Driver;
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, resolve));
  const port = (holder.address() as net.AddressInfo).port;
  const database = await ownDatabase(driver);
  try {
    const { code, output } = await runUntilExit(database.env, { port });

    expect(code, output).toBe(1);
    expect(output).toContain(`Numbox cannot start: port ${port} is in use by another process.`);
    if (driver === "postgres") {
      const name = new URL(database.env.DATABASE_URL!).pathname.slice(1);
      const server = postgres(POSTGRES_ADMIN_URL, { max: 1, onnotice: () => {} });
      const own = postgres(database.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
      try {
        // Asked before this test connects to that database itself.
        expect(await server`select count(*)::int as n from pg_stat_activity where datname = ${name}`).toEqual([
          { n: 0 },
        ]);
        // No migration ran: neither our tables nor drizzle's record of migrations exist.
        expect(
          await own`select to_regclass('public.messages') as messages, to_regclass('drizzle.__drizzle_migrations') as migrations`,
        ).toEqual([{ messages: null, migrations: null }]);
      } finally {
        await Promise.all([server.end(), own.end()]);
      }
    } else {
      // The embedded database was neither created nor locked.
      expect(fs.existsSync(database.env.PGLITE_DIR!)).toBe(false);
      expect(fs.existsSync(`${database.env.PGLITE_DIR}.lock`)).toBe(false);
    }
  } finally {
    await new Promise((resolve) => holder.close(resolve));
    await database.drop();
  }
});
