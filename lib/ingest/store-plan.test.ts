import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { PreparedStatement, rowsOf } from "@/db/client";
import { freshPostgres, type TestDatabase } from "@/lib/testing/databases";
import { createGateway } from "@/lib/admin/gateways";
import { createNumber } from "@/lib/admin/numbers";
import { messageRow } from "./message-row";
import { validMessage } from "./message";
import { storeMessages, storingOf, storingStatement } from "./store";

// The cursor rests on every id being drawn under the numbers' lock (lib/inbox/locks.ts). The store takes that lock
// inside its INSERT statement, relying on how Postgres plans it: checked here, in Postgres's own plan, so that a
// change of planner shows as a failing test rather than as a stream that skips a message under load. The live
// inboxes also rest on what the statement says came before its messages: checked here with a store that waits.
let database: TestDatabase;
beforeAll(async () => {
  database = await freshPostgres();
  await createGateway(database.db, { id: "plan", kind: "generic" });
  await createNumber(database.db, { number: "+998901112233", gateway: "plan" });
});
afterAll(() => database?.close());

const row = (text: string, sourceKey: string | null) =>
  messageRow({
    number: "+998901112233",
    gatewayId: "plan",
    sourceKey,
    sender: "Svc",
    sent: text,
    shown: text,
    segments: null,
    receivedAt: new Date(),
  });

it("locks the numbers in a one-time filter that runs before the INSERT produces a row", async () => {
  const { shape, values } = storingOf([row("Your code is 4821", "k1")], true);
  const explain = new PreparedStatement(sql`explain (costs off) ${storingStatement(shape)}`);
  const result = await explain.run(database.db, values);
  const plan = rowsOf<{ "QUERY PLAN": string }>(result)
    .map((r) => r["QUERY PLAN"])
    .join("\n");

  // The lock's CTE: rows of `numbers` locked.
  expect(plan).toMatch(/CTE locked\n\s+->\s+LockRows/);
  // The INSERT's rows come from a Result whose one-time filter reads the lock (the InitPlan over `locked`):
  // evaluated once, before the first row, so before any id is drawn.
  const insert = plan.slice(plan.indexOf("Insert on messages"));
  expect(insert).toMatch(/InitPlan \d+[\s\S]*CTE Scan on locked[\s\S]*->\s+Result\n\s+One-Time Filter:/);
});

it("tells a store that waited for the number's lock which message was committed meanwhile, as the one before its own", async () => {
  const number = "+998901112233";
  const message = (text: string) => validMessage({ to: number, from: "Svc", text });
  const [first] = (await storeMessages(database.db, "plan", [message("first")])).ids;

  // Another store holds the number's lock with a message of its own…
  let waiting!: Promise<Awaited<ReturnType<typeof storeMessages>>>;
  const held = await database.db.transaction(async (tx) => {
    const { shape, values } = storingOf([row("held", null)], true);
    const [stored] = rowsOf<{ id: string }>(await new PreparedStatement(storingStatement(shape)).run(tx, values));
    // …while this one starts (its statement's snapshot predates the other's commit) and waits for the lock.
    waiting = storeMessages(database.db, "plan", [message("waited")]);
    await vi.waitFor(async () => {
      const [blocked] = rowsOf<{ n: number }>(
        await database.db.execute(sql`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`),
      );
      expect(blocked?.n).toBe(1);
    });
    return Number(stored!.id);
  });
  const waited = await waiting;

  expect(held).toBeGreaterThan(first!);
  expect(waited.before.get(number)).toBe(held);
  expect(waited.ids[0]).toBeGreaterThan(held);
});
