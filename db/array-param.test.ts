import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/client";
import { DRIVERS, type TestDatabase } from "@/lib/testing/databases";
import { arrayParam } from "./array-param";

// Strings a sender controls, each of which an array literal must carry unchanged.
const AWKWARD = [
  "",
  "NULL",
  "null",
  '"quoted"',
  "back\\slash",
  "\\",
  '\\"',
  "a,b",
  "{braces}",
  "  spaces  ",
  "line\nbreak\r\n",
  "tab\t",
  "ünïcödé 中文 العربية 🙂",
  "'single'",
  "$1",
];

describe.each(DRIVERS)("an array parameter on %s", (_, open) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(() => database?.close());

  it("carries every string, null and the empty list unchanged, in order", async () => {
    for (const values of [AWKWARD, [null, "x", null], [], ["only"]]) {
      const back = await database.db.execute(
        sql`select v, n from unnest(${arrayParam(values, "text")}) with ordinality as t(v, n) order by n`,
      );
      expect(rowsOf<{ v: string | null }>(back).map((r) => r.v)).toEqual(values);
    }
  });

  it("casts to other element types: integers and times", async () => {
    const at = new Date("2026-11-30T21:00:00.123Z");
    const back = rowsOf<{ n: number | null; t: string }>(
      await database.db.execute(
        sql`select n, to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as t
          from unnest(${arrayParam([7, null], "int")}, ${arrayParam([at.toISOString(), at.toISOString()], "timestamptz")}) as u(n, t)`,
      ),
    );
    expect(back).toEqual([
      { n: 7, t: at.toISOString() },
      { n: null, t: at.toISOString() },
    ]);
  });
});
