import { eq } from "drizzle-orm";
import { extractFromXml, type FeedEntry } from "@extractus/feed-extractor";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { messages } from "@/db/schema";
import { createGateway } from "@/lib/admin/gateways";
import { createNumber, updateNumber } from "@/lib/admin/numbers";
import { validMessage } from "@/lib/ingest/message";
import { storeMessages } from "@/lib/ingest/store";
import { hideMessage } from "@/lib/moderation/messages";
import { DRIVERS, type TestDatabase } from "@/lib/testing/databases";
import { feedAnswer } from "./answer";
import { serviceFeed } from "./service-feed";

/*
 * A service's feed read from a real database, on both drivers: what its page lists (visible messages on numbers
 * in service, newest first), which services are there at all, and the answer a reader's parser reads back.
 */
describe.each(DRIVERS)("a service's feed on %s", (_name, open) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(() => database?.close());
  const db = () => database.db;

  it("carries the service's visible messages on numbers in service, newest first, across the numbers", async () => {
    const gateway = await givenGateway(db());
    const [first, second, paused] = await givenNumbers(db(), gateway, 3);
    const older = await arrive(db(), gateway, first!, "Telegram", "Telegram code: 11111");
    const hidden = await arrive(db(), gateway, second!, "Telegram", "Telegram code: 22222");
    await arrive(db(), gateway, paused!, "Telegram", "Telegram code: 33333");
    await arrive(db(), gateway, first!, "VM-GOOGLE", "G-444444 is your Google verification code.");
    const newer = await arrive(db(), gateway, second!, "Telegram", "Telegram code: 55555");
    await hideMessage(db(), hidden);
    await updateNumber(db(), paused!, { status: "paused" });

    const feed = await serviceFeed(db(), "telegram", new Date());
    expect(feed.title).toBe("Telegram SMS on Numbox");
    expect(feed.pagePath).toBe("/services/telegram");
    expect(feed.paths.json).toBe("/api/v1/services/telegram/feed.json");
    expect(feed.messages.map((m) => [m.id, m.number])).toEqual([
      [newer, second],
      [older, first],
    ]);

    // As a reader gets it: each entry with its message's id, naming and linking the number that received it.
    const answer = feedAnswer(feed, "rss", "no-store");
    expect(answer.headers.get("content-type")).toBe("application/rss+xml; charset=utf-8");
    const body = await answer.text();
    const entries = extractFromXml(body).entries as FeedEntry[];
    expect(entries.map((e) => e.id.replace(/^.*:message:/, ""))).toEqual([String(newer), String(older)]);
    expect(entries[0]!.title).toContain(`Telegram: 55555 — to +998`);
    // (The parser's link drops the #fragment: the item's own <link> is read from the XML.)
    expect(entries[0]!.link).toMatch(new RegExp(`/numbers/${second!.slice(1)}$`));
    expect(body).toContain(`/numbers/${second!.slice(1)}#message-${newer}</link>`);
  });

  it("is an empty feed for a catalogue service nothing received lately, and unknown_service for no service", async () => {
    expect((await serviceFeed(db(), "whatsapp", new Date())).messages).toEqual([]);
    await expect(serviceFeed(db(), "no-such-service", new Date())).rejects.toMatchObject({
      code: "unknown_service",
      status: 404,
    });
  });

  it("knows a sender's own service while some number received it in the last 7 days, named after the sender", async () => {
    const gateway = await givenGateway(db());
    const [number] = await givenNumbers(db(), gateway, 1);
    const id = await arrive(db(), gateway, number!, "VM-ACMEBK", "Your ACME Bank OTP is 123456");
    const slug = (await db().select({ service: messages.service }).from(messages).where(eq(messages.id, id)))[0]!
      .service!;
    const feed = await serviceFeed(db(), slug, new Date());
    expect(feed.messages.map((m) => m.id)).toEqual([id]);
    expect(feed.title).toBe("VM-ACMEBK SMS on Numbox");
    // A week later the sender is gone, and so is its service.
    await expect(serviceFeed(db(), slug, new Date(Date.now() + 8 * 24 * 60 * 60 * 1000))).rejects.toMatchObject({
      code: "unknown_service",
    });
  });
});

let serial = 0;
const run = Math.random().toString(36).slice(2, 6);

async function givenGateway(db: Db): Promise<string> {
  const gateway = `feed-${run}-${++serial}`;
  await createGateway(db, { id: gateway, kind: "generic" });
  return gateway;
}

async function givenNumbers(db: Db, gateway: string, count: number): Promise<string[]> {
  const numbers: string[] = [];
  for (let i = 0; i < count; i++)
    numbers.push((await createNumber(db, { number: `+99891${String(++serial).padStart(7, "0")}`, gateway })).number);
  return numbers;
}

/** A message as the gateway sends it: its id (ids and our clock grow together, so a later one is newer). */
async function arrive(db: Db, gateway: string, to: string, from: string, text: string): Promise<number> {
  const { ids } = await storeMessages(db, gateway, [validMessage({ to, from, text })]);
  return ids[0]!;
}
