import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { createGateway } from "@/lib/admin/gateways";
import { createNumber } from "@/lib/admin/numbers";
import { validMessage } from "@/lib/ingest/message";
import { storeMessages } from "@/lib/ingest/store";
import { DRIVERS, type TestDatabase } from "@/lib/testing/databases";
import { escapeLike, listMessages, type MessageFilter } from "./messages";

describe("escapeLike", () => {
  it("makes %, _ and the escape character itself match only themselves", () => {
    expect(escapeLike("100%_sure\\")).toBe("100\\%\\_sure\\\\");
    expect(escapeLike("plain words")).toBe("plain words");
  });
});

describe.each(DRIVERS)("filtering an inbox on %s", (_name, open) => {
  let database: TestDatabase;
  const db = (): Db => database.db;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(async () => {
    await database?.close();
  });

  let serial = 0;
  async function givenInbox(): Promise<{ gateway: string; number: string }> {
    const gateway = (await createGateway(db(), { id: `filters-${++serial}`, kind: "generic" })).id;
    const { number } = await createNumber(db(), { number: `+9989012${String(serial).padStart(5, "0")}`, gateway });
    return { gateway, number };
  }
  const find = async (number: string, filter: MessageFilter & { after?: number; before?: number }, limit = 50) =>
    (await listMessages(db(), number, { limit, ...filter })).messages.map((m) => m.text);

  it("by sender (exactly, any case), by service and by words in the sender or the text", async () => {
    const { gateway, number } = await givenInbox();
    const texts: [string, string][] = [
      ["Google", "G-111111 is your Google verification code."],
      ["VM-GOOGLE", "G-222222 is your Google verification code."],
      ["+12025550143", "<#> Your WhatsApp code: 333-333"],
      ["WhatsApp", "Your WhatsApp code: 444-444"],
      ["Telegram", "Telegram code: 55555"],
      ["+12025550143", "100% off, use code_66 now"],
      ["+12025550143", "1000 off, use codeX66 now"],
    ];
    await storeMessages(
      db(),
      gateway,
      texts.map(([from, text]) => validMessage({ to: number, from, text })),
    );
    const [g1, g2, w1, w2, t1, pct, plain] = texts.map(([, text]) => text);

    expect(await find(number, { from: "google" })).toEqual([g1]);
    expect(await find(number, { from: "GOOGLE" })).toEqual([g1]);
    expect(await find(number, { from: "vm-google" })).toEqual([g2]);
    expect(await find(number, { from: "Goo" })).toEqual([]);
    expect(await find(number, { service: "google" })).toEqual([g2, g1]);
    expect(await find(number, { service: "whatsapp" })).toEqual([w2, w1]);
    expect(await find(number, { service: "telegram" })).toEqual([t1]);
    expect(await find(number, { service: "uber" })).toEqual([]);
    // Words in the text, any case; in the sender too.
    expect(await find(number, { q: "WHATSAPP CODE" })).toEqual([w2, w1]);
    expect(await find(number, { q: "vm-goo" })).toEqual([g2]);
    expect(await find(number, { q: "0255501" })).toEqual([plain, pct, w1]);
    // % and _ are characters, not wildcards.
    expect(await find(number, { q: "100%" })).toEqual([pct]);
    expect(await find(number, { q: "code_6" })).toEqual([pct]);
    expect(await find(number, { q: "%%" })).toEqual([]);
    // Filters combine with each other and with the cursors.
    expect(await find(number, { service: "whatsapp", q: "333" })).toEqual([w1]);
    expect(await find(number, { service: "google", from: "Google" })).toEqual([g1]);
    const ids = (await listMessages(db(), number, { limit: 50, service: "google" })).messages.map((m) => m.id);
    expect(await find(number, { service: "google", before: ids[0] })).toEqual([g1]);
    expect(await find(number, { service: "google", after: ids[1] })).toEqual([g2]);
  });

  it("pages a filtered inbox newest first, each match once, `next` pointing at the next older match", async () => {
    const { gateway, number } = await givenInbox();
    for (let i = 0; i < 30; i++) {
      const from = i % 3 === 0 ? "Uber" : "Lyft";
      await storeMessages(db(), gateway, [validMessage({ to: number, from, text: `Your ${from} code: ${1000 + i}` })]);
    }
    const seen: string[] = [];
    let before: number | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await listMessages(db(), number, { limit: 4, service: "uber", before });
      seen.push(...page.messages.map((m) => m.text));
      if (page.next === null) break;
      before = page.next;
    }
    expect(seen).toEqual(Array.from({ length: 10 }, (_, k) => `Your Uber code: ${1000 + (9 - k) * 3}`));
  });

  it("gives pollers with `after=` and a filter every match of 8 concurrent senders once, in order", async () => {
    const { gateway, number } = await givenInbox();
    const SENDERS = 8;
    const EACH = 12;
    const senders = Array.from({ length: SENDERS }, async (_, s) => {
      for (let i = 0; i < EACH; i++) {
        const google = (s + i) % 2 === 0;
        const text = google
          ? `G-${s}${String(i).padStart(4, "0")} is your Google verification code`
          : `other ${s}/${i}`;
        await storeMessages(db(), gateway, [
          validMessage({ to: number, from: google ? "Google" : "+12025550143", text }),
        ]);
      }
    });
    const expected = (SENDERS * EACH) / 2;
    // Three pollers, as three testers' scripts would: each follows its own cursor until it has seen them all.
    const poll = async (filter: MessageFilter) => {
      const seen: number[] = [];
      let after = 0;
      while (seen.length < expected) {
        const page = await listMessages(db(), number, { limit: 5, after, ...filter });
        const ids = page.messages.map((m) => m.id).reverse();
        seen.push(...ids);
        after = ids.at(-1) ?? after;
        if (ids.length === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      return seen;
    };
    const [bySender, byService, byWords] = await Promise.all([
      poll({ from: "google" }),
      poll({ service: "google" }),
      poll({ q: "google verification" }),
      ...senders,
    ]);
    const all = (await listMessages(db(), number, { limit: 100, service: "google" })).messages.map((m) => m.id);
    expect(all).toHaveLength(expected);
    const ascending = [...all].reverse();
    expect(bySender).toEqual(ascending);
    expect(byService).toEqual(ascending);
    expect(byWords).toEqual(ascending);
  });
});
