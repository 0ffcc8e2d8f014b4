import { setImmediate as nextTurn } from "node:timers/promises";
import { count, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messages } from "@/db/schema";
import { DRIVERS, type TestDatabase } from "@/lib/testing/databases";
import { createGateway } from "@/lib/admin/gateways";
import { createNumber } from "@/lib/admin/numbers";
import { validMessage } from "@/lib/ingest/message";
import { storeMessages } from "@/lib/ingest/store";
import { purge } from "./purge";

const EXPIRED = 200_000;
const SEED_BATCH = 20_000;

describe.each(DRIVERS)("purging expired rows on %s", (name, open) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await open();
    await createGateway(database.db, { id: "load", kind: "generic" });
    await createNumber(database.db, { number: "+998940373339", gateway: "load" });
    await createNumber(database.db, { number: "+998901234567", gateway: "load" });
    // 200,000 messages that arrived 30 days ago, spread over two numbers, 20,000 to a statement: one statement
    // of all of them could outlast the server's statement timeout (10 s) on a busy machine, with the text
    // search's trigram index to keep up.
    for (let from = 1; from <= EXPIRED; from += SEED_BATCH) {
      await database.db.execute(sql`
        insert into ${messages} (number, gateway_id, content_hash, sender, text, received_at, created_at)
        select case when i % 2 = 0 then '+998940373339' else '+998901234567' end, 'load', md5(i::text), 'Svc',
               'old message ' || i, now() - interval '30 days', now() - interval '30 days'
        from generate_series(${from}::int, ${from + SEED_BATCH - 1}::int) as i`);
    }
  }, 120_000);
  afterAll(() => database?.close());

  it(`deletes ${EXPIRED} expired rows while ingestion keeps succeeding (${name})`, async () => {
    let ingesting = true;
    let stored = 0;
    const ingestion = (async () => {
      while (ingesting) {
        const { accepted } = await storeMessages(database.db, "load", [
          validMessage({ to: "+998940373339", from: "Live", text: `new ${stored}` }),
        ]);
        stored += accepted;
        // The next message arrives the way a request does, through the event loop: a loop of bare promise
        // continuations would keep everything else off an embedded database's thread, the purge included.
        await nextTurn();
      }
    })();
    const report = await purge(database.db, {
      retentionDays: 7,
      maxMessagesPerNumber: 1_000_000,
      quarantineDays: 30,
      batchSize: 1000,
    });
    ingesting = false;
    await ingestion;

    expect(report.expired).toBe(EXPIRED);
    expect(stored).toBeGreaterThan(0);
    const [left] = await database.db.select({ n: count() }).from(messages);
    expect(left!.n).toBe(stored); // every new message is there, every expired one is gone
  }, 180_000);
});
