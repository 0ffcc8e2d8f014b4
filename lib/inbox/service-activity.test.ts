import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "@/db/client";
import { messages, serviceActivity } from "@/db/schema";
import { createGateway } from "@/lib/admin/gateways";
import { createNumber, updateNumber } from "@/lib/admin/numbers";
import { validMessage } from "@/lib/ingest/message";
import { storeMessages } from "@/lib/ingest/store";
import { hideMessage } from "@/lib/moderation/messages";
import { purge, type RetentionPolicy } from "@/lib/retention/purge";
import { classifyOldMessages } from "@/lib/services/backfill";
import { NOT_CLASSIFIED } from "@/lib/services/service";
import { DRIVERS, type TestDatabase } from "@/lib/testing/databases";
import { recountActivity, recountEveryNumber } from "./activity";
import { numbersThatReceived } from "./by-service";
import { recentServices, serviceNumbers, servicesOfNumber } from "./deliverability";

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
const KEEP_ALL: RetentionPolicy = { retentionDays: 30, maxMessagesPerNumber: 1000, quarantineDays: 30, batchSize: 50 };

/**
 * The read model of the service pages (service_activity) against real databases, on both drivers: what the
 * writers add, what the purge takes back, and that concurrent stores add up exactly.
 */
describe.each(DRIVERS)("service activity on %s", (_name, open) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(() => database?.close());
  const db = () => database.db;

  it("counts each stored message once, in its service's hour: retries and repeats in a batch not at all", async () => {
    const { gateway, numbers } = await givenNumbers(db(), ["one"]);
    const to = numbers.one;
    const code = (key: string, text: string) => validMessage({ to, from: "Telegram", text, sourceKey: key });
    await storeMessages(db(), gateway, [code("k1", "Telegram code: 11111")]);
    // The sender's retry of k1, and a batch that lists k2 twice.
    expect((await storeMessages(db(), gateway, [code("k1", "Telegram code: 11111")])).duplicates).toBe(1);
    const batch = await storeMessages(db(), gateway, [
      code("k2", "Telegram code: 22222"),
      code("k2", "Telegram code: 22222"),
      code("k3", "Telegram code: 33333"),
      validMessage({ to, from: "WhatsApp", text: "Your WhatsApp code: 123-456", sourceKey: "k4" }),
      // A plain number that names no service: not a service's arrival.
      validMessage({ to, from: "+15550100", text: "hello there", sourceKey: "k5" }),
    ]);
    expect(batch.duplicates).toBe(1);

    expect(await rowsOf(db(), to)).toEqual([
      { service: "telegram", arrivals: 3 },
      { service: "whatsapp", arrivals: 1 },
    ]);
    const listed = await serviceNumbers(db(), "telegram", new Date());
    expect(listed.find((n) => n.number === to)).toMatchObject({ last24h: 3, last7d: 3 });
    // Stored by one transaction, the two services' latest arrivals are the same moment: either may come first.
    const ofNumber = await servicesOfNumber(db(), to, new Date());
    expect(ofNumber.map((s) => [s.slug, s.messages]).sort()).toEqual([
      ["telegram", 3],
      ["whatsapp", 1],
    ]);
    expect(await numbersThatReceived(db(), "whatsapp", new Date(Date.now() - DAY_MS))).toContain(to);
  });

  it("adds up exactly under 50 concurrent stores to 2 numbers × 2 services, each sent twice", async () => {
    const { gateway, numbers } = await givenNumbers(db(), ["a", "b"]);
    const targets = [numbers.a, numbers.b];
    // On Postgres, a second instance with its own pool: two app servers storing into one database at once.
    const other = "url" in database ? await openDatabase({ url: String(database.url) }) : undefined;
    try {
      const instances = [db(), other?.db ?? db()];
      const sends = Array.from({ length: 50 }, (_, i) => {
        const [from, text] = i % 4 < 2 ? ["Viber", `Viber code: ${10000 + i}`] : ["Uber", `Your Uber code is ${i}`];
        return validMessage({ to: targets[i % 2]!, from, text, sourceKey: `c-${i}` });
      });
      // Every message twice, from both instances: the retry races the first copy.
      await Promise.all([...sends, ...sends].map((m, i) => storeMessages(instances[i % 2]!, gateway, [m])));
    } finally {
      await other?.close();
    }
    const now = new Date(Date.now() + 1000);
    for (const number of targets) {
      // Per number: 13 of the 25 sends are Viber's (i % 4 is 0 or 1), 12 Uber's.
      expect(await rowsOf(db(), number)).toEqual([
        { service: "uber", arrivals: 12 },
        { service: "viber", arrivals: 13 },
      ]);
    }
    const services = await recentServices(db(), now);
    expect(services.find((s) => s.slug === "viber")).toMatchObject({ last24h: 26, last7d: 26, numbers: 2 });
    expect(services.find((s) => s.slug === "uber")).toMatchObject({ last24h: 24, last7d: 24, numbers: 2 });
  }, 60_000);

  it("counts the messages of an older release once they are classified", async () => {
    const { gateway, numbers } = await givenNumbers(db(), ["old"]);
    const { ids } = await storeMessages(db(), gateway, [
      validMessage({ to: numbers.old, from: "KakaoTalk", text: "[KakaoTalk] code 4242" }),
    ]);
    // As migration 0008 left the messages stored before services.
    await db().update(messages).set({ service: NOT_CLASSIFIED }).where(eq(messages.id, ids[0]!));
    await recountActivity(db(), numbers.old, new Date());
    expect(await rowsOf(db(), numbers.old)).toEqual([]);
    expect(await classifyOldMessages(db())).toBe(1);
    await recountEveryNumber(db(), new Date());
    expect(await rowsOf(db(), numbers.old)).toEqual([{ service: "kakaotalk", arrivals: 1 }]);
  });
});

describe.each(DRIVERS)("the purge and service activity on %s", (_name, open) => {
  // A database each: the purge works on every number.
  let database: TestDatabase | undefined;
  afterAll(() => database?.close());
  const fresh = async () => {
    await database?.close();
    database = await open();
    return database.db;
  };

  it("forgets the buckets older than the week and its margin", async () => {
    const db = await fresh();
    const { gateway, numbers } = await givenNumbers(db, ["one"]);
    await storeMessages(db, gateway, [validMessage({ to: numbers.one, from: "Uber", text: "Your Uber code is 1" })]);
    await purge(db, KEEP_ALL, new Date(Date.now() + 7 * DAY_MS));
    expect(await rowsOf(db, numbers.one)).toEqual([{ service: "uber", arrivals: 1 }]);
    await purge(db, KEEP_ALL, new Date(Date.now() + 7 * DAY_MS + 3 * HOUR_MS));
    expect(await rowsOf(db, numbers.one)).toEqual([]);
  });

  it("recounts a number after deleting its recent messages: over the cap, retired, expired within the week", async () => {
    const db = await fresh();
    const { gateway, numbers } = await givenNumbers(db, ["capped", "retired", "short"]);
    const uber = (to: string, i: number) => validMessage({ to, from: "Uber", text: `Your Uber code is ${i}` });
    for (let i = 0; i < 4; i++) await storeMessages(db, gateway, [uber(numbers.capped, i)]);
    // Hidden, yet an arrival: it counts until it is deleted.
    const { ids } = await storeMessages(db, gateway, [uber(numbers.capped, 4)]);
    await hideMessage(db, ids[0]!);
    await storeMessages(db, gateway, [uber(numbers.retired, 0)]);
    await updateNumber(db, numbers.retired, { status: "retired" });
    await storeMessages(db, gateway, [uber(numbers.short, 0)]);
    const old = await storeMessages(db, gateway, [uber(numbers.short, 1)]);
    await db
      .update(messages)
      .set({ createdAt: new Date(Date.now() - 4 * DAY_MS) })
      .where(eq(messages.id, old.ids[0]!));
    await recountActivity(db, numbers.short, new Date());
    expect(await rowsOf(db, numbers.capped)).toEqual([{ service: "uber", arrivals: 5 }]);
    expect(await rowsOf(db, numbers.short)).toEqual([{ service: "uber", arrivals: 2 }]);

    // Three days' retention: the message of four days ago goes, inside the week the pages count.
    await purge(db, { ...KEEP_ALL, retentionDays: 3, maxMessagesPerNumber: 3 });
    expect(await rowsOf(db, numbers.capped)).toEqual([{ service: "uber", arrivals: 3 }]);
    expect(await rowsOf(db, numbers.retired)).toEqual([]);
    expect(await rowsOf(db, numbers.short)).toEqual([{ service: "uber", arrivals: 1 }]);
  });
});

let serial = 0;
const run = Math.random().toString(36).slice(2, 6);

/** A new gateway with a new Uzbek number per role. */
async function givenNumbers<Role extends string>(db: Db, roles: Role[]) {
  const gateway = `sa-${run}-${++serial}`;
  await createGateway(db, { id: gateway, kind: "generic" });
  const numbers = {} as Record<Role, string>;
  for (const role of roles)
    numbers[role] = (await createNumber(db, { number: `+99891${String(++serial).padStart(7, "0")}`, gateway })).number;
  return { gateway, numbers };
}

/** A number's arrivals per service, all kept buckets summed. */
async function rowsOf(db: Db, number: string) {
  return db
    .select({ service: serviceActivity.service, arrivals: sql<number>`sum(${serviceActivity.arrivals})::int` })
    .from(serviceActivity)
    .where(eq(serviceActivity.number, number))
    .groupBy(serviceActivity.service)
    .orderBy(serviceActivity.service);
}
