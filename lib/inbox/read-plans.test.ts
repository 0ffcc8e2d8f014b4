import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DRIVERS, type TestDatabase } from "@/lib/testing/databases";
import {
  fillInboxes,
  planReads,
  readsOf,
  scansGrowingTable,
  takeStatistics,
  type ReadSample,
  WHOLE_READ_MODEL_READ,
} from "@/lib/testing/read-plans";

// Enough rows that a whole-table read costs more than an index's, so the planner's choice means something.
const MESSAGES = 60_000;

describe.each(DRIVERS)("the plans of page and API reads on %s", (_name, open) => {
  let database: TestDatabase;
  let sample: ReadSample;
  beforeAll(async () => {
    database = await open();
    sample = await fillInboxes(database.db, MESSAGES);
    await takeStatistics(database.db);
  }, 180_000);
  afterAll(() => database?.close());

  it(`reads neither messages nor the read model whole, at ${MESSAGES} messages over 200 numbers`, async () => {
    const plans = await planReads(database.db, sample);
    // Every read was planned: a read that sent nothing would pass vacuously.
    expect(new Set(plans.map((p) => p.name))).toEqual(new Set(readsOf(sample).map((r) => r.name)));
    // /services alone may read service_activity whole: it sums all the table keeps (lib/testing/read-plans.ts).
    const allowed = (name: string) => (name === WHOLE_READ_MODEL_READ.name ? [WHOLE_READ_MODEL_READ.table] : []);
    const wholeTable = plans
      .filter((p) => scansGrowingTable(p.plan, allowed(p.name)))
      .map((p) => `${p.name}:\n${p.sql}\n${p.plan}`);
    expect(wholeTable).toEqual([]);
  }, 60_000);
});
