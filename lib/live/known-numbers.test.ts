import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openDatabase, type Database } from "@/db/client";
import { numbers } from "@/db/schema";
import { createGateway } from "@/lib/admin/gateways";
import { createNumber } from "@/lib/admin/numbers";
import { announceChange } from "./fanout";
import { isKnownNumber } from "./known-numbers";

let database: Database;
beforeAll(async () => {
  database = await openDatabase({ pgliteDir: "memory://" });
  await createGateway(database.db, { id: "known", kind: "generic" });
});
afterAll(() => database.close());

it("keeps that a number is ours until the operator changes something, and never keeps that it is not", async () => {
  const { db } = database;
  const number = "+998901234567";
  expect(await isKnownNumber(db, number)).toBeUndefined();
  // Not kept: a number the operator just added is found at once.
  await createNumber(db, { number, gateway: "known" });
  expect(await isKnownNumber(db, number)).toBe(true);

  // Removed behind its back (no announcement): still known, from memory.
  await db.delete(numbers).where(eq(numbers.number, number));
  expect(await isKnownNumber(db, number)).toBe(true);
  // Every operator's change is announced as "everything": read again.
  await announceChange("everything");
  expect(await isKnownNumber(db, number)).toBeUndefined();
});
