import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messages } from "@/db/schema";
import { DRIVERS, type TestDatabase } from "@/lib/testing/databases";
import { createGateway } from "@/lib/admin/gateways";
import { createNumber } from "@/lib/admin/numbers";
import { AppError } from "@/lib/errors";
import { listMessages, messagesAfter } from "@/lib/inbox/messages";
import { validMessage, type ValidMessage } from "@/lib/ingest/message";
import { storeMessages } from "@/lib/ingest/store";
import { hideMessage } from "./messages";
import { createRedaction, deleteRedaction, listRedactions } from "./redactions";
import { createReport, listReports, parseReport } from "./reports";

const sms = (to: string, fields: Partial<ValidMessage> = {}): ValidMessage =>
  validMessage({ to, from: "Telegram", text: "Telegram code: 51234", ...fields });

async function expectAppError(promise: Promise<unknown>, status: number, code: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect(error).toMatchObject({ status, code });
}

describe.each(DRIVERS)("moderation on %s", (_name, open) => {
  let database: TestDatabase;
  const db = () => database.db;
  let seq = 0;

  beforeAll(async () => {
    database = await open();
  });
  afterAll(() => database?.close());

  async function inbox() {
    const gateway = `mod-${++seq}`;
    await createGateway(db(), { id: gateway, kind: "generic" });
    const number = `+99891${String(3000000 + seq * 7919).slice(-7)}`;
    await createNumber(db(), { number, gateway });
    return { gateway, number };
  }
  const texts = async (number: string) => (await listMessages(db(), number, { limit: 50 })).messages.map((m) => m.text);

  it("hides a message from the inbox, replay and wait, keeping the row; 404 for an unknown id", async () => {
    const { gateway, number } = await inbox();
    const { ids } = await storeMessages(
      db(),
      gateway,
      ["one", "two", "three"].map((text) => sms(number, { text })),
    );
    const [first, second] = ids as number[];

    expect(await hideMessage(db(), second!)).toEqual({ id: second, number, hidden: true });
    expect(await hideMessage(db(), second!)).toMatchObject({ hidden: true }); // twice is harmless
    expect(await texts(number)).toEqual(["three", "one"]);
    expect((await messagesAfter(db(), number, first!, 10)).map((m) => m.text)).toEqual(["three"]);
    // Paging by cursor skips the hidden one without losing the next page.
    const page = await listMessages(db(), number, { limit: 1 });
    expect(page.messages.map((m) => m.text)).toEqual(["three"]);
    expect((await listMessages(db(), number, { limit: 1, before: page.next! })).messages.map((m) => m.text)).toEqual([
      "one",
    ]);

    const [row] = await db().select().from(messages).where(eq(messages.id, second!));
    expect(row).toMatchObject({ hidden: true, sender: "Telegram", text: "two" });
    await expectAppError(hideMessage(db(), 9_999_999), 404, "unknown_message");
  });

  it("redacts at ingest by sender: the fact, sender and time stay, text and code do not", async () => {
    const { gateway, number } = await inbox();
    const sender = `Bank${seq}`;
    const rule = await createRedaction(db(), { sender });
    expect(rule).toMatchObject({ sender, pattern: null, replacement: "[hidden]" });

    const receivedAt = new Date("2026-11-22T10:00:00Z");
    await storeMessages(db(), gateway, [
      sms(number, { from: sender.toUpperCase(), text: "Code 482913, balance 9,000", receivedAt }),
    ]);
    const [message] = (await listMessages(db(), number, { limit: 1 })).messages;
    expect(message).toMatchObject({
      from: sender.toUpperCase(),
      text: "[hidden]",
      code: null,
      receivedAt: receivedAt.toISOString(),
    });
  });

  it("redacts by pattern, in order, and a removed rule stops applying at once", async () => {
    const { gateway, number } = await inbox();
    const link = await createRedaction(db(), {
      pattern: String.raw`https?://\S*reset\S*`,
      replacement: "[link hidden]",
    });
    await storeMessages(db(), gateway, [
      sms(number, { from: "Google", text: "G-482913 is your code. Reset: https://g.co/reset?t=x" }),
    ]);
    const [redacted] = (await listMessages(db(), number, { limit: 1 })).messages;
    expect(redacted).toMatchObject({ text: "G-482913 is your code. Reset: [link hidden]", code: "482913" });

    expect((await listRedactions(db())).map((r) => r.id)).toContain(link.id);
    await deleteRedaction(db(), link.id);
    await expectAppError(deleteRedaction(db(), link.id), 404, "unknown_redaction");
    await storeMessages(db(), gateway, [sms(number, { from: "Google", text: "Reset: https://g.co/reset?t=y" })]);
    expect((await texts(number))[0]).toBe("Reset: https://g.co/reset?t=y");
  });

  it("recognises a retry as a duplicate even after a rule changed what was stored", async () => {
    const { gateway, number } = await inbox();
    const message = sms(number, { from: `Shop${seq}`, text: "Order 1234 shipped", sourceKey: "k-1" });
    const first = await storeMessages(db(), gateway, [message]);
    const rule = await createRedaction(db(), { sender: `shop${seq}` });
    const retry = await storeMessages(db(), gateway, [message]);
    expect(retry).toMatchObject({ accepted: 0, duplicates: 1, ids: first.ids });
    await deleteRedaction(db(), rule.id);
  });

  it("redacts a long message joined from parts", async () => {
    const { gateway, number } = await inbox();
    const rule = await createRedaction(db(), {
      sender: "PartsBank",
      pattern: String.raw`\d{6}`,
      replacement: "######",
    });
    const part = (n: number, text: string): ValidMessage =>
      sms(number, { from: "PartsBank", text, sourceKey: `pb-${n}`, part: { ref: "7", part: n, total: 2 } });
    await storeMessages(db(), gateway, [part(1, "Your code is 1234")]);
    await storeMessages(db(), gateway, [part(2, "56, do not share")]);
    const [joined] = (await listMessages(db(), number, { limit: 1 })).messages;
    expect(joined).toMatchObject({ text: "Your code is ######, do not share", code: null });
    await deleteRedaction(db(), rule.id);
  });

  it("refuses a rule without sender or pattern, and a dangerous pattern, with 422", async () => {
    await expectAppError(createRedaction(db(), {}), 422, "invalid_fields");
    await expectAppError(createRedaction(db(), { replacement: "x" }), 422, "invalid_fields");
    await expectAppError(createRedaction(db(), { pattern: "(a+)+" }), 422, "invalid_pattern");
    await expectAppError(createRedaction(db(), { pattern: "[" }), 422, "invalid_pattern");
    await expectAppError(createRedaction(db(), { pattern: "x".repeat(201) }), 422, "invalid_fields");
    await expectAppError(createRedaction(db(), { sender: 5 }), 422, "invalid_fields");
  });

  it("keeps visitors' reports, newest first, and validates them", async () => {
    const { number } = await inbox();
    await createReport(db(), number, parseReport({ service: " WhatsApp ", note: "" }));
    await createReport(db(), number, parseReport({ service: "Telegram", note: "nothing for an hour" }));
    const [newest, older] = await listReports(db(), 2);
    expect(newest).toMatchObject({ number, service: "Telegram", note: "nothing for an hour" });
    expect(older).toMatchObject({ number, service: "WhatsApp", note: null });

    for (const bad of [
      {},
      { service: "" },
      { service: "   " },
      { service: "x".repeat(61) },
      { service: "X", note: "n".repeat(501) },
      null,
      "WhatsApp",
    ]) {
      expect(() => parseReport(bad), JSON.stringify(bad)).toThrow(AppError);
    }
  });
});
