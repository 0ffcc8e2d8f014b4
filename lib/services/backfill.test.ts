import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messages } from "@/db/schema";
import { createGateway } from "@/lib/admin/gateways";
import { createNumber } from "@/lib/admin/numbers";
import { listMessages } from "@/lib/inbox/messages";
import { validMessage } from "@/lib/ingest/message";
import { storeMessages } from "@/lib/ingest/store";
import { DRIVERS, type TestDatabase } from "@/lib/testing/databases";
import { classifyOldMessages } from "./backfill";
import { NOT_CLASSIFIED } from "./service";

describe.each(DRIVERS)("services of messages stored before services, on %s", (_name, open) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(async () => {
    await database?.close();
  });

  it("stores each new message with its service", async () => {
    const db = database.db;
    const gateway = (await createGateway(db, { id: "gw-new", kind: "generic" })).id;
    const { number } = await createNumber(db, { number: "+998901230001", gateway });
    const sent = [
      { from: "VM-GOOGLE", text: "G-482913 is your Google verification code." },
      { from: "+12025550143", text: "<#> Your WhatsApp code: 482-913" },
      { from: "+12025550143", text: "Call me" },
      { from: "VM-HDFCBK", text: "OTP 4829" },
    ];
    await storeMessages(
      db,
      gateway,
      sent.map((m) => validMessage({ to: number, ...m })),
    );
    const { messages: inbox } = await listMessages(db, number, { limit: 10 });
    expect(inbox.map((m) => m.service).reverse()).toEqual(["google", "whatsapp", null, "hdfcbk"]);
  });

  it("classifies what migration 0008 left unclassified, in batches, with the store's rule; once", async () => {
    const db = database.db;
    const gateway = (await createGateway(db, { id: "gw-old", kind: "generic" })).id;
    const { number } = await createNumber(db, { number: "+998901230002", gateway });
    const old = [
      ["Google", "G-1 is your code"],
      ["+12025550143", "Your Uber code: 4829"],
      ["+12025550143", "Call me"],
      ["AD-HDFCBK", "OTP"],
    ] as const;
    // 2,600 rows: more than a batch on either driver.
    await db.execute(sql`
      insert into messages (number, gateway_id, content_hash, sender, text, service, received_at)
      select ${number}, ${gateway}, md5(i::text), (array[${old[0][0]}, ${old[1][0]}, ${old[2][0]}, ${old[3][0]}])[i % 4 + 1],
             (array[${old[0][1]}, ${old[1][1]}, ${old[2][1]}, ${old[3][1]}])[i % 4 + 1], ${NOT_CLASSIFIED}, now()
      from generate_series(0, 2599) as i`);
    // Read as having no service until classified.
    expect((await listMessages(db, number, { limit: 1 })).messages[0]!.service).toBeNull();

    expect(await classifyOldMessages(db)).toBe(2600);
    const counts = await db
      .select({ service: messages.service, n: sql<number>`count(*)::int` })
      .from(messages)
      .where(eq(messages.number, number))
      .groupBy(messages.service);
    expect(Object.fromEntries(counts.map((c) => [String(c.service), c.n]))).toEqual({
      google: 650,
      uber: 650,
      null: 650,
      hdfcbk: 650,
    });
    // Nothing left to do, and the messages stored since were never touched.
    expect(await classifyOldMessages(db)).toBe(0);
  });
});
