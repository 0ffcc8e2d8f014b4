import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { rowsOf } from "@/db/client";
import { freshPostgres, type TestDatabase } from "@/db/test-databases";
import { createGateway } from "@/lib/admin/gateways";
import { createNumber } from "@/lib/admin/numbers";
import { contentHash } from "./hash";
import { validMessage } from "./message";
import { storingStatement } from "./store";

// The cursor rests on every id being drawn under the numbers' lock (inbox-locks.ts). The store takes that lock
// inside its INSERT statement, relying on how Postgres plans it: checked here, in Postgres's own plan, so that a
// change of planner shows as a failing test rather than as a stream that skips a message under load.
let database: TestDatabase;
beforeAll(async () => {
  database = await freshPostgres();
  await createGateway(database.db, { id: "plan", kind: "generic" });
  await createNumber(database.db, { number: "+998901112233", gateway: "plan" });
});
afterAll(() => database?.close());

it("locks the numbers in a one-time filter that runs before the INSERT produces a row", async () => {
  const m = validMessage({ to: "+998901112233", from: "Svc", text: "Your code is 4821", sourceKey: "k1" });
  const statement = storingStatement("plan", [{ m, text: m.text, hash: contentHash(m.to, m.from, m.text) }], new Date(), true);
  const result = await database.db.execute(sql`explain (costs off) ${statement}`);
  const plan = rowsOf<{ "QUERY PLAN": string }>(result).map((r) => r["QUERY PLAN"]).join("\n");

  // The lock's CTE: rows of `numbers` locked.
  expect(plan).toMatch(/CTE locked\n\s+->\s+LockRows/);
  // The INSERT's rows come from a Result whose one-time filter reads the lock (the InitPlan over `locked`):
  // evaluated once, before the first row, so before any id is drawn.
  const insert = plan.slice(plan.indexOf("Insert on messages"));
  expect(insert).toMatch(/InitPlan \d+[\s\S]*CTE Scan on locked[\s\S]*->\s+Result\n\s+One-Time Filter:/);
});
