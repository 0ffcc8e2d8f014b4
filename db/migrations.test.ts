import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, describe, expect, it } from "vitest";
import { getNumber } from "@/lib/inbox/numbers";
import * as schema from "./schema";

const MIGRATIONS = path.join(process.cwd(), "db", "migrations");

/** The migrations folder as it was up to `last` (its journal cut there): a database of an older release. */
function migrationsUpTo(last: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "numbox-migrations-"));
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS, "meta", "_journal.json"), "utf8")) as {
    entries: { tag: string }[];
  };
  const entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag === last) + 1);
  fs.mkdirSync(path.join(dir, "meta"));
  fs.writeFileSync(path.join(dir, "meta", "_journal.json"), JSON.stringify({ ...journal, entries }));
  for (const { tag } of entries) fs.copyFileSync(path.join(MIGRATIONS, `${tag}.sql`), path.join(dir, `${tag}.sql`));
  return dir;
}

describe("upgrading a database", () => {
  const client = new PGlite();
  const older = migrationsUpTo("0005_inbox_indexes");
  afterAll(async () => {
    await client.close();
    fs.rmSync(older, { recursive: true, force: true });
  });

  it("keeps each number's last-day count when the read model arrives (0006)", async () => {
    const db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder: older });
    await db.execute(sql`insert into gateways (id, name, kind) values ('old', 'Old modem', 'generic')`);
    await db.execute(sql`insert into numbers (number, country, gateway_id) values ('+998901110000', 'UZ', 'old')`);
    await db.execute(sql`
      insert into messages (number, gateway_id, content_hash, sender, text, hidden, received_at, created_at)
      select '+998901110000', 'old', md5(h::text), 'Svc', 'code ' || h, h = 5, now() - h * interval '1 hour',
             now() - h * interval '1 hour'
      from unnest(array[0, 1, 5, 20, 30, 50]) as h`);

    await migrate(db, { migrationsFolder: MIGRATIONS });
    // The last day's four, the hidden one among them (a count of arrivals); not those of 30 and 50 hours ago.
    expect((await getNumber(db, "+998901110000"))?.messages24h).toBe(4);
  });
});
