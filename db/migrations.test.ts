import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, describe, expect, it } from "vitest";
import { serviceNumbers } from "@/lib/inbox/deliverability";
import { getNumber } from "@/lib/inbox/numbers";
import { NOT_CLASSIFIED } from "@/lib/services/service";
import { PGLITE_EXTENSIONS } from "./client";
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
  const client = new PGlite({ extensions: PGLITE_EXTENSIONS });
  const older = migrationsUpTo("0005_inbox_indexes");
  afterAll(async () => {
    await client.close();
    fs.rmSync(older, { recursive: true, force: true });
  });

  it("keeps each number's last-day count (0006) and leaves old messages to classify by service (0008)", async () => {
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
    // 0008: the messages already there are left for the start-up job to classify by service.
    const services = await db.execute<{ service: string | null }>(sql`select distinct service from messages`);
    expect(services.rows).toEqual([{ service: NOT_CLASSIFIED }]);
  });
});

describe("upgrading a database with messages of the last week", () => {
  // Made when its test runs, not when the file is read: two databases starting at once slow the first test past
  // its timeout.
  let client: PGlite | undefined;
  const older = migrationsUpTo("0010_gateway_offline_alerted_at");
  afterAll(async () => {
    await client?.close();
    fs.rmSync(older, { recursive: true, force: true });
  });

  it("fills the services' counts (0011) from the messages a reader may still count", async () => {
    client = new PGlite({ extensions: PGLITE_EXTENSIONS });
    const db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder: older });
    await db.execute(sql`insert into gateways (id, name, kind) values ('old', 'Old modem', 'generic')`);
    await db.execute(sql`insert into numbers (number, country, gateway_id) values ('+998901110000', 'UZ', 'old')`);
    // Telegram 1, 5 (hidden), 30 and 200 hours ago; one still to classify ('?'), one of no service.
    await db.execute(sql`
      insert into messages (number, gateway_id, content_hash, sender, text, service, hidden, received_at, created_at)
      select '+998901110000', 'old', md5(h::text || coalesce(s, '')), 'Telegram', 'code ' || h, s, h = 5,
             now() - h * interval '1 hour', now() - h * interval '1 hour'
      from (values (1, 'telegram'), (5, 'telegram'), (30, 'telegram'), (200, 'telegram'), (2, '?'), (3, null))
        as v(h, s)`);

    await migrate(db, { migrationsFolder: MIGRATIONS });
    const [telegram] = await serviceNumbers(db, "telegram", new Date());
    expect(telegram).toMatchObject({ number: "+998901110000", last24h: 2, last7d: 3 });
    expect(Date.parse(telegram!.lastAt)).toBeGreaterThan(Date.now() - 2 * 60 * 60 * 1000);
    const rows = await db.execute<{ service: string }>(sql`select distinct service from service_activity`);
    expect(rows.rows).toEqual([{ service: "telegram" }]);
  });
});
