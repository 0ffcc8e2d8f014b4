import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DRIVERS, type TestDatabase } from "@/lib/testing/databases";
import { createGateway } from "@/lib/admin/gateways";
import { createNumber } from "@/lib/admin/numbers";
import { listMessages } from "@/lib/inbox/messages";
import { getNumber } from "@/lib/inbox/numbers";
import type { ValidMessage } from "./message";
import { emitExpiredParts, MISSING_PART } from "./parts";
import { storeMessages } from "./store";

const MINUTE = 60_000;

describe.each(DRIVERS)("concatenated SMS parts on %s", (_name, open) => {
  let database: TestDatabase;
  let seq = 0;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(() => database?.close());

  async function inbox() {
    const gateway = `parts-${++seq}`;
    await createGateway(database.db, { id: gateway, kind: "generic" });
    const number = `+99893${String(2000000 + seq * 104729).slice(-7)}`;
    await createNumber(database.db, { number, gateway });
    return { gateway, number };
  }

  const part = (to: string, n: number, total: number, text: string, ref = "42"): ValidMessage => ({
    to,
    from: "Bank",
    text,
    receivedAt: null,
    sourceKey: `p-${ref}-${n}-${text}`,
    segments: null,
    part: { ref, part: n, total },
  });
  const inboxOf = async (number: string) => (await listMessages(database.db, number, { limit: 50 })).messages;
  // The read model counts messages, not parts: a long message is one arrival, however many parts it came in.
  const lastDayCount = async (number: string) => (await getNumber(database.db, number))?.messages24h;

  it("joins parts in any order into one message, once, and counts a re-sent part as a duplicate", async () => {
    const { gateway, number } = await inbox();
    const third = await storeMessages(database.db, gateway, [part(number, 3, 3, "is 4821.")]);
    expect(third).toMatchObject({ accepted: 1, ids: [null], stored: [] });
    await storeMessages(database.db, gateway, [part(number, 1, 3, "Your ")]);
    expect(await inboxOf(number)).toEqual([]);
    const last = await storeMessages(database.db, gateway, [part(number, 2, 3, "code ")]);
    expect(last.stored).toHaveLength(1);
    expect(last.stored[0]).toMatchObject({ text: "Your code is 4821.", code: "4821", incomplete: false });

    const again = await storeMessages(database.db, gateway, [part(number, 2, 3, "code ")]);
    expect(again).toMatchObject({ accepted: 0, duplicates: 1, ids: [last.stored[0]!.id] });
    expect(await inboxOf(number)).toHaveLength(1);
    expect(await lastDayCount(number)).toBe(1);
  });

  it("joins UCS-2 parts as bytes, so an emoji split between parts survives", async () => {
    const { gateway, number } = await inbox();
    const bytes = Buffer.from("d83dde00002000340034", "hex"); // 😀 4 4 in UTF-16BE: the emoji's halves split below
    const p = (n: number, slice: Buffer) => ({
      ...part(number, n, 2, "", "7"),
      sourceKey: `u${n}`,
      part: { ref: "7", part: n, total: 2, ucs2: slice },
    });
    await storeMessages(database.db, gateway, [p(2, bytes.subarray(2))]);
    const done = await storeMessages(database.db, gateway, [p(1, bytes.subarray(0, 2))]);
    expect(done.stored[0]?.text).toBe("😀 44");
  });

  it("shows what arrived once the wait runs out, marked incomplete, and never drops a part", async () => {
    const { gateway, number } = await inbox();
    await storeMessages(database.db, gateway, [part(number, 1, 3, "Your code ", "9")], { partsWaitMs: 10 * MINUTE });
    await storeMessages(database.db, gateway, [part(number, 3, 3, " expires soon", "9")], { partsWaitMs: 10 * MINUTE });

    expect(await emitExpiredParts(database.db, new Date(Date.now() + 5 * MINUTE))).toEqual([]);
    expect(await lastDayCount(number)).toBe(0);
    const emitted = await emitExpiredParts(database.db, new Date(Date.now() + 11 * MINUTE));
    const mine = emitted.filter((m) => m.number === number);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ text: `Your code ${MISSING_PART} expires soon`, incomplete: true, segments: 3 });
    expect(await emitExpiredParts(database.db, new Date(Date.now() + 12 * MINUTE))).toEqual([]);

    // The missing part, arriving after all, is kept and shown on its own rather than dropped.
    await storeMessages(database.db, gateway, [part(number, 2, 3, "is 1234", "9")], { partsWaitMs: 10 * MINUTE });
    const late = (await emitExpiredParts(database.db, new Date(Date.now() + 11 * MINUTE))).filter(
      (m) => m.number === number,
    );
    expect(late[0]?.text).toBe(`${MISSING_PART}is 1234${MISSING_PART}`);
    expect(await inboxOf(number)).toHaveLength(2);
    expect(await lastDayCount(number)).toBe(2);
  });
});
