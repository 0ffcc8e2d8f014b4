import { PGlite } from "@electric-sql/pglite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { queryPrepared } from "./pglite-prepared";

describe("named prepared statements on PGlite", () => {
  let client: PGlite;
  beforeEach(async () => {
    client = await PGlite.create();
    await client.exec("create table box (id serial primary key, text text not null unique, at timestamptz)");
  });
  afterEach(() => client.close());

  const insert = "insert into box (text, at) values ($1, $2) on conflict (text) do nothing returning id, text, at";

  it("answers what query() answers, and prepares the text once, however often it runs", async () => {
    const at = new Date("2026-11-30T10:00:00.123Z");
    const prepared = await queryPrepared(client, insert, ["a", at]);
    const plain = await client.query(insert, ["b", at], { rowMode: "object" });
    expect(prepared.fields).toEqual(plain.fields);
    // Times stay Postgres's text, as drizzle's driver reads raw results.
    expect(prepared.rows).toEqual([{ id: 1, text: "a", at: "2026-11-30 10:00:00.123+00" }]);
    expect(prepared.affectedRows).toBe(1);
    expect((await queryPrepared(client, insert, ["a", null])).rows).toEqual([]);
    for (let i = 0; i < 10; i++) await queryPrepared(client, insert, [`c${i}`, null]);
    const statements = await client.query<{ count: number; runs: number }>(
      "select count(*)::int as count, sum(generic_plans + custom_plans)::int as runs from pg_prepared_statements",
    );
    expect(statements.rows[0]).toEqual({ count: 1, runs: 12 });
  });

  it("throws the database's error with its code, and the session goes on", async () => {
    const bad = "insert into box (text) values ($1)";
    await expect(queryPrepared(client, bad, [null])).rejects.toMatchObject({ code: "23502" });
    await expect(queryPrepared(client, bad, ["fine"])).resolves.toMatchObject({ affectedRows: 1 });
    await expect(queryPrepared(client, "select nonsense from box", [])).rejects.toMatchObject({ code: "42703" });
    expect((await client.query("select count(*)::int as n from box")).rows).toEqual([{ n: 1 }]);
  });

  it("never runs inside another caller's transaction: it waits for the transaction to end", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inside!: () => void;
    const begun = new Promise<void>((resolve) => (inside = resolve));
    const transaction = client
      .transaction(async (tx) => {
        await tx.query("insert into box (text) values ('rolled back')");
        inside();
        await held;
        await tx.rollback();
      })
      .catch(() => {});
    await begun;
    const stored = queryPrepared(client, insert, ["kept", null]);
    release();
    await transaction;
    expect((await stored).rows).toHaveLength(1);
    const texts = await client.query<{ text: string }>("select text from box order by id");
    expect(texts.rows.map((r) => r.text)).toEqual(["kept"]);
  });

  it("keeps every one of many concurrent runs, each answered with its own row", async () => {
    const texts = Array.from({ length: 200 }, (_, i) => `m${i}`);
    const answers = await Promise.all(texts.map((text) => queryPrepared(client, insert, [text, null])));
    expect(answers.map((a) => a.rows[0]?.text)).toEqual(texts);
    expect((await client.query("select count(*)::int as n from box")).rows).toEqual([{ n: 200 }]);
  });
});
