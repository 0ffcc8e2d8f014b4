import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { messages } from "@/db/schema";
import { createGateway } from "@/lib/admin/gateways";
import { createNumber, updateNumber } from "@/lib/admin/numbers";
import { recountActivity } from "@/lib/inbox/activity";
import { listMessages } from "@/lib/inbox/messages";
import { validMessage } from "@/lib/ingest/message";
import { storeMessages } from "@/lib/ingest/store";
import { hideMessage } from "@/lib/moderation/messages";
import { createReport } from "@/lib/moderation/reports";
import { DRIVERS, type TestDatabase } from "@/lib/testing/databases";
import {
  latestServiceMessages,
  recentServices,
  SERVICE_SEARCH_DEPTH,
  reportedNumbers,
  reportedService,
  serviceNumbers,
  servicesOfNumber,
  servicesReceivedSince,
} from "./deliverability";

const HOUR_MS = 60 * 60 * 1000;

/**
 * The service pages' reads against a real database, on both drivers. Each driver gets a database of its own, so
 * that the site-wide list (/services) counts exactly what these tests stored.
 */
describe.each(DRIVERS)("service deliverability on %s", (_name, open) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(() => database?.close());
  const db = () => database.db;

  it("lists the numbers that received a service in 7 days, the latest first, with 24 h and 7 d counts", async () => {
    const now = new Date();
    const { gateway, numbers } = await givenNumbers(db(), ["fresh", "older", "stale", "paused", "other"]);
    await arrive(db(), gateway, numbers.fresh, "WhatsApp", "<#> Your WhatsApp code: 123-456", hoursAgo(now, 1));
    await arrive(db(), gateway, numbers.fresh, "WhatsApp", "Your WhatsApp code: 654-321", hoursAgo(now, 30));
    await arrive(db(), gateway, numbers.older, "WHATSAPP", "WhatsApp code 111-222", hoursAgo(now, 3 * 24));
    await arrive(db(), gateway, numbers.older, "WhatsApp", "WhatsApp code 333-444", hoursAgo(now, 5 * 24));
    await arrive(db(), gateway, numbers.older, "WhatsApp", "WhatsApp code 555-666", hoursAgo(now, 6 * 24));
    // Older than the week, on a number out of service, another service: none of them counts.
    await arrive(db(), gateway, numbers.stale, "WhatsApp", "WhatsApp code 777-888", hoursAgo(now, 8 * 24));
    await arrive(db(), gateway, numbers.paused, "WhatsApp", "WhatsApp code 999-000", hoursAgo(now, 2));
    await updateNumber(db(), numbers.paused, { status: "paused" });
    await arrive(db(), gateway, numbers.other, "Telegram", "Telegram code: 51234", hoursAgo(now, 1));

    const listed = await serviceNumbers(db(), "whatsapp", now);
    expect(listed.map((n) => [n.number, n.last24h, n.last7d])).toEqual([
      [numbers.fresh, 1, 2],
      [numbers.older, 0, 3],
    ]);
    expect(listed[0]!.digits).toBe(numbers.fresh.slice(1));
    expect(Date.parse(listed[0]!.lastAt)).toBeCloseTo(hoursAgo(now, 1).getTime(), -3);
    expect(await serviceNumbers(db(), "viber", now)).toEqual([]);
  });

  it("filters by country and then lists only the numbers that received the service in the last 24 h", async () => {
    const now = new Date();
    const { gateway, numbers } = await givenNumbers(db(), ["today", "lastWeek"]);
    const german = (await createNumber(db(), { number: nextNumber("+49151", 8), gateway })).number;
    await arrive(db(), gateway, numbers.today, "Telegram", "Telegram code: 40404", hoursAgo(now, 2));
    await arrive(db(), gateway, numbers.lastWeek, "Telegram", "Telegram code: 50505", hoursAgo(now, 48));
    await arrive(db(), gateway, german, "Telegram", "Telegram code: 60606", hoursAgo(now, 1));

    const uz = await serviceNumbers(db(), "telegram", now, { country: "UZ" });
    expect(uz.map((n) => n.number)).toContain(numbers.today);
    expect(uz.map((n) => n.number)).not.toContain(numbers.lastWeek);
    expect(uz.map((n) => n.number)).not.toContain(german);
    expect(uz.every((n) => n.country === "UZ" && n.last24h > 0)).toBe(true);
    expect((await serviceNumbers(db(), "telegram", now, { country: "DE" })).map((n) => n.number)).toEqual([german]);
  });

  it("shows a service's latest visible messages across the numbers in service, newest first", async () => {
    const now = new Date();
    const { gateway, numbers } = await givenNumbers(db(), ["a", "b", "retired"]);
    const first = await arrive(db(), gateway, numbers.a, "Uber", "Your Uber code is 1111", hoursAgo(now, 3));
    const second = await arrive(db(), gateway, numbers.b, "Uber", "Your Uber code is 2222", hoursAgo(now, 2));
    const hidden = await arrive(db(), gateway, numbers.a, "Uber", "Your Uber code is 3333", hoursAgo(now, 1));
    await hideMessage(db(), hidden);
    await arrive(db(), gateway, numbers.retired, "Uber", "Your Uber code is 4444", hoursAgo(now, 0.5));
    await updateNumber(db(), numbers.retired, { status: "retired" });

    const latest = await latestServiceMessages(db(), "uber", 10);
    expect(latest.map((m) => [m.id, m.number, m.code, m.service])).toEqual([
      [second, numbers.b, "2222", "uber"],
      [first, numbers.a, "1111", "uber"],
    ]);
    expect((await latestServiceMessages(db(), "uber", 1)).map((m) => m.id)).toEqual([second]);
    // Searched: by text, ignoring case, with LIKE's wildcards taken as themselves.
    expect((await latestServiceMessages(db(), "uber", 10, "CODE IS 1111")).map((m) => m.id)).toEqual([first]);
    expect(await latestServiceMessages(db(), "uber", 10, "1_1%")).toEqual([]);
  });

  it("searches the service's latest messages by sender or text, as deep as SERVICE_SEARCH_DEPTH", async () => {
    const now = new Date();
    const { gateway, numbers } = await givenNumbers(db(), ["busy"]);
    const deep = await arrive(db(), gateway, numbers.busy, "Lyft", "Your Lyft code is 7070", hoursAgo(now, 5));
    const within = await arrive(db(), gateway, numbers.busy, "Lyft", "Your Lyft code is 7071", hoursAgo(now, 4));
    // Then SERVICE_SEARCH_DEPTH - 1 newer Lyft messages that hold neither code: the deeper one falls out of reach.
    const newer = Array.from({ length: SERVICE_SEARCH_DEPTH - 1 }, (_, k) => {
      const at = new Date(hoursAgo(now, 3).getTime() + k);
      const text = `Lyft ride ${k} is arriving`;
      return {
        number: numbers.busy,
        gatewayId: gateway,
        contentHash: text,
        sender: "Lyft",
        text,
        service: "lyft",
        receivedAt: at,
        createdAt: at,
      };
    });
    await db().insert(messages).values(newer);

    expect((await latestServiceMessages(db(), "lyft", 10, "code is 707")).map((m) => m.id)).toEqual([within]);
    expect((await latestServiceMessages(db(), "lyft", 3, "LYFT")).map((m) => m.text)).toEqual([
      `Lyft ride ${SERVICE_SEARCH_DEPTH - 2} is arriving`,
      `Lyft ride ${SERVICE_SEARCH_DEPTH - 3} is arriving`,
      `Lyft ride ${SERVICE_SEARCH_DEPTH - 4} is arriving`,
    ]);
    expect(await latestServiceMessages(db(), "lyft", 10, "7070")).toEqual([]);
    // Its inbox's own search still finds it.
    expect((await listMessages(db(), numbers.busy, { limit: 10, q: "7070" })).messages.map((m) => m.id)).toEqual([
      deep,
    ]);
  });

  it("lists the numbers visitors reported for the service, however they wrote its name", async () => {
    const now = new Date();
    const { numbers } = await givenNumbers(db(), ["twice", "once", "elsewhere"]);
    await createReport(db(), numbers.twice, { service: "WhatsApp", note: null });
    await createReport(db(), numbers.twice, { service: "whatsapp ", note: "nothing for an hour" });
    await createReport(db(), numbers.once, { service: "WHATSAPP", note: null });
    await createReport(db(), numbers.elsewhere, { service: "Telegram", note: null });

    const reported = await reportedNumbers(db(), "whatsapp", now);
    expect(reported.map((r) => [r.number, r.reports])).toEqual([
      [numbers.twice, 2],
      [numbers.once, 1],
    ]);
    expect(reportedService("G-Verify")).toBe("google");
    expect(reportedService("Bolt Food")).toBe("bolt-food");
  });

  it("lists the services of the week with counts, and the services one number received", async () => {
    const now = new Date();
    const { gateway, numbers } = await givenNumbers(db(), ["one", "two"]);
    await arrive(db(), gateway, numbers.one, "Discord", "Your Discord code is 12345", hoursAgo(now, 1));
    await arrive(db(), gateway, numbers.two, "Discord", "Your Discord code is 23456", hoursAgo(now, 50));
    await arrive(db(), gateway, numbers.one, "VM-HDFCBK", "OTP 998877 for your login", hoursAgo(now, 4));
    // A plain number that names no service has none: never listed.
    await arrive(db(), gateway, numbers.one, "+15550100", "hello there", hoursAgo(now, 2));

    const services = await recentServices(db(), now);
    expect(services.find((s) => s.slug === "discord")).toMatchObject({
      name: "Discord",
      last24h: 1,
      last7d: 2,
      numbers: 2,
    });
    expect(services.find((s) => s.slug === "hdfcbk")).toMatchObject({
      name: "VM-HDFCBK",
      last24h: 1,
      last7d: 1,
      numbers: 1,
    });
    expect(services.every((s) => s.slug !== null && s.slug !== "?")).toBe(true);

    // The sitemap's probe: which of these some number in service received in 7 days.
    expect(await servicesReceivedSince(db(), ["discord", "hdfcbk", "kakaotalk"], now)).toEqual(
      new Set(["discord", "hdfcbk"]),
    );

    const ofOne = await servicesOfNumber(db(), numbers.one, now);
    expect(ofOne.map((s) => [s.slug, s.messages])).toEqual([
      ["discord", 1],
      ["hdfcbk", 1],
    ]);
  });

  it("counts every message that arrived at once on many numbers, each once", async () => {
    const now = new Date();
    const { gateway, numbers } = await givenNumbers(db(), ["n1", "n2", "n3", "n4"]);
    const targets = Object.values(numbers);
    // Twelve stores at once, three per number: the counts hold whatever order they commit in.
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        storeMessages(db(), gateway, [
          validMessage({ to: targets[i % 4]!, from: "Viber", text: `Viber code: ${10000 + i}` }),
        ]),
      ),
    );
    const listed = await serviceNumbers(db(), "viber", now);
    expect(listed.map((n) => n.number).sort()).toEqual([...targets].sort());
    expect(listed.every((n) => n.last24h === 3 && n.last7d === 3)).toBe(true);
    const viber = (await recentServices(db(), new Date(Date.now() + 1000))).find((s) => s.slug === "viber");
    expect(viber).toMatchObject({ last24h: 12, last7d: 12, numbers: 4 });
  });
});

let serial = 0;
const run = Math.random().toString(36).slice(2, 6);

function nextNumber(prefix: string, digits: number): string {
  return `${prefix}${String(++serial).padStart(digits, "0")}`;
}

/** A new gateway with a new Uzbek number per role. */
async function givenNumbers<Role extends string>(db: Db, roles: Role[]) {
  const gateway = `svc-${run}-${++serial}`;
  await createGateway(db, { id: gateway, kind: "generic" });
  const numbers = {} as Record<Role, string>;
  for (const role of roles)
    numbers[role] = (await createNumber(db, { number: nextNumber("+99890", 7), gateway })).number;
  return { gateway, numbers };
}

/**
 * A message stored as the gateway sends it, then dated `at` by our clock (created_at): its id. The number's read
 * model is recounted from its messages, as the purge does after deleting recent ones: the store counted the
 * message at the time it was stored.
 */
async function arrive(db: Db, gateway: string, to: string, from: string, text: string, at: Date): Promise<number> {
  const { ids } = await storeMessages(db, gateway, [validMessage({ to, from, text })]);
  const id = ids[0]!;
  await db.update(messages).set({ createdAt: at, receivedAt: at }).where(eq(messages.id, id));
  await recountActivity(db, to, new Date());
  return id;
}

function hoursAgo(now: Date, hours: number): Date {
  return new Date(now.getTime() - hours * HOUR_MS);
}
