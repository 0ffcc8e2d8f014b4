import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { inboundQuarantine, messages, numberActivity, numbers, reports } from "@/db/schema";
import { DRIVERS, type TestDatabase } from "@/lib/testing/databases";
import { createGateway } from "@/lib/admin/gateways";
import { createNumber, updateNumber } from "@/lib/admin/numbers";
import { listMessages } from "@/lib/inbox/messages";
import { getNumber } from "@/lib/inbox/numbers";
import { validMessage } from "@/lib/ingest/message";
import { storeMessages } from "@/lib/ingest/store";
import { takeLease } from "./lease";
import { purge, type RetentionPolicy } from "./purge";

const DAY = 24 * 60 * 60 * 1000;
const policy: RetentionPolicy = { retentionDays: 7, maxMessagesPerNumber: 5, quarantineDays: 30, batchSize: 3 };

describe.each(DRIVERS)("retention on %s", (_name, open) => {
  let database: TestDatabase;
  const db = () => database.db;
  let seq = 0;

  beforeAll(async () => {
    database = await open();
  });
  afterAll(() => database?.close());

  /** A gateway with a number and `count` messages whose arrival (our clock) was `ageDays` ago. */
  async function numberWith(count: number, ageDays: number[] = []): Promise<string> {
    const id = `gw-${++seq}`;
    await createGateway(db(), { id, kind: "generic" });
    const number = `+99890${String(1000000 + seq * 7919).slice(-7)}`;
    await createNumber(db(), { number, gateway: id });
    for (let i = 0; i < count; i++) {
      const { ids } = await storeMessages(db(), id, [validMessage({ to: number, from: "Svc", text: `message ${i}` })]);
      const age = ageDays[i] ?? 0;
      if (age > 0) await setCreatedAt(db(), ids[0]!, new Date(Date.now() - age * DAY));
    }
    return number;
  }

  const textsOf = async (number: string) =>
    (await listMessages(db(), number, { limit: 100 })).messages.map((m) => m.text);
  const lastDayCount = async (number: string) => (await getNumber(db(), number))?.messages24h;

  it("deletes messages older than the retention period by our clock, keeps recent ones", async () => {
    const number = await numberWith(4, [10, 8, 6, 0]);
    const report = await purge(db(), policy);
    expect(report.expired).toBeGreaterThanOrEqual(2);
    expect(await textsOf(number)).toEqual(["message 3", "message 2"]);
  });

  it("keeps at most the newest N messages per number", async () => {
    const number = await numberWith(8);
    await purge(db(), policy);
    expect(await textsOf(number)).toEqual(["message 7", "message 6", "message 5", "message 4", "message 3"]);
  });

  it("deletes every message of a retired number", async () => {
    const number = await numberWith(3);
    await updateNumber(db(), number, { status: "retired" });
    await purge(db(), policy);
    expect(await textsOf(number)).toEqual([]);
  });

  it("lowers a number's last-day count when the cap deletes recent messages", async () => {
    const number = await numberWith(8);
    expect(await lastDayCount(number)).toBe(8);
    await purge(db(), policy);
    expect(await lastDayCount(number)).toBe(5);
  });

  it("brings a retired number's last-day count to zero with its messages", async () => {
    const number = await numberWith(3);
    await updateNumber(db(), number, { status: "retired" });
    expect(await lastDayCount(number)).toBe(3);
    await purge(db(), policy);
    expect(await lastDayCount(number)).toBe(0);
  });

  it("forgets activity that no reader counts any more", async () => {
    const number = await numberWith(2);
    await db()
      .insert(numberActivity)
      .values({ number, bucket: new Date(Date.now() - 2 * DAY), messages: 7 });
    await purge(db(), policy);
    const buckets = await db().select().from(numberActivity).where(eq(numberActivity.number, number));
    expect(buckets.every((b) => b.bucket.getTime() > Date.now() - DAY)).toBe(true);
    expect(buckets.reduce((n, b) => n + b.messages, 0)).toBe(2);
  });

  it("keeps the last-day count exact while messages arrive during purges that cut the number to its cap", async () => {
    const number = await numberWith(0);
    const [{ gatewayId } = { gatewayId: "" }] = await db()
      .select({ gatewayId: numbers.gatewayId })
      .from(numbers)
      .where(eq(numbers.number, number));
    const SENDERS = 8;
    const EACH = 10;
    let sending = true;
    const purges = (async () => {
      let overCap = 0;
      while (sending) overCap += (await purge(db(), policy)).overCap;
      return overCap;
    })();
    await Promise.all(
      Array.from({ length: SENDERS }, async (_, s) => {
        for (let i = 0; i < EACH; i++) {
          await storeMessages(db(), gatewayId, [
            validMessage({ to: number, from: "Svc", text: `sender ${s} message ${i}` }),
          ]);
        }
      }),
    );
    sending = false;
    expect(await purges).toBeGreaterThan(0); // the cap did cut while messages arrived

    const [stored] = await db().select({ n: count() }).from(messages).where(eq(messages.number, number));
    expect(await lastDayCount(number)).toBe(stored!.n);
  });

  it("forgets quarantined requests after their own, longer period", async () => {
    const [old] = await db()
      .insert(inboundQuarantine)
      .values({ gatewayId: "x", method: "POST", url: "u", headers: {}, bodyBase64: "", error: "e", detail: "d" })
      .returning();
    const [recent] = await db()
      .insert(inboundQuarantine)
      .values({ gatewayId: "x", method: "POST", url: "u", headers: {}, bodyBase64: "", error: "e", detail: "d" })
      .returning();
    await db()
      .update(inboundQuarantine)
      .set({ createdAt: new Date(Date.now() - 31 * DAY) })
      .where(eq(inboundQuarantine.id, old!.id));
    await purge(db(), policy);
    const left = (await db().select({ id: inboundQuarantine.id }).from(inboundQuarantine)).map((r) => r.id);
    expect(left).toContain(recent!.id);
    expect(left).not.toContain(old!.id);
  });

  it("forgets visitors' reports after the operator's period", async () => {
    const number = await numberWith(0);
    const [old] = await db().insert(reports).values({ number, service: "Old" }).returning();
    const [recent] = await db().insert(reports).values({ number, service: "Recent" }).returning();
    await db()
      .update(reports)
      .set({ createdAt: new Date(Date.now() - 31 * DAY) })
      .where(eq(reports.id, old!.id));
    await purge(db(), policy);
    const left = (await db().select({ id: reports.id }).from(reports)).map((r) => r.id);
    expect(left).toContain(recent!.id);
    expect(left).not.toContain(old!.id);
  });

  it("lets one holder at a time take the purge lease", async () => {
    const now = new Date();
    expect(await takeLease(db(), "purge-test", "a", 60_000, now)).toBe(true);
    expect(await takeLease(db(), "purge-test", "b", 60_000, now)).toBe(false);
    expect(await takeLease(db(), "purge-test", "a", 60_000, now)).toBe(true); // renewal
    expect(await takeLease(db(), "purge-test", "b", 60_000, new Date(now.getTime() + 61_000))).toBe(true);
  });
});

async function setCreatedAt(db: Db, id: number, at: Date) {
  await db.update(messages).set({ createdAt: at }).where(eq(messages.id, id));
}
