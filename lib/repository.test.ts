import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { gateways, messages, numbers } from "@/db/schema";
import { DRIVERS, type TestDatabase } from "@/lib/testing/databases";
import { createGateway } from "@/lib/admin/gateways";
import { keyMatches } from "@/lib/security/secrets";
import { createNumber, updateNumber } from "@/lib/admin/numbers";
import { config } from "@/lib/config";
import { DEMO_GATEWAY_ID, DEMO_NUMBERS, seedDemo } from "@/lib/demo/seed";
import { AppError } from "@/lib/errors";
import { recountActivity } from "@/lib/inbox/activity";
import { listMessages, messagesAfter } from "@/lib/inbox/messages";
import { getNumber, listCountries, listNumbers, recentNumbers } from "@/lib/inbox/numbers";
import type { Message } from "@/lib/inbox/message";
import { ingest } from "@/lib/ingest/ingest";
import { validMessage, type ValidMessage } from "@/lib/ingest/message";
import { listQuarantine, quarantine } from "@/lib/ingest/quarantine";
import { toInboundRequest } from "@/lib/ingest/request";
import { storeMessages } from "@/lib/ingest/store";
import { announceChange } from "@/lib/live/fanout";
import { databaseReader, liveInboxes } from "@/lib/live/inboxes";
import { waitForMessage, type WaitFilter } from "@/lib/live/wait";

/**
 * The domain against a real database, run once per driver (DRIVERS: PGlite and a real Postgres server), after
 * drizzle-orm's own integration tests: one suite for both.
 * Tests make their own gateways and numbers in a shared database, so none depends on another having run (or not);
 * the two that need an empty database (country counts, demo seed) get one of their own.
 */
describe.each(DRIVERS)("repository on %s", (_name, open) => {
  // One PGlite open costs seconds: share it, and open empty ones only where a test needs the whole database.
  const db = useDatabase(open);

  describe("gateways", () => {
    it("shows the API key once and stores only its hash", async () => {
      const id = uniqueId("modem");
      const created = await createGateway(db(), { id, kind: "generic" });
      expect(created).toMatchObject({ id, kind: "generic" });
      expect(created.apiKey).toMatch(/^nbx_[A-Za-z0-9_-]{40,}$/);

      const [row] = await db().select().from(gateways).where(eq(gateways.id, id));
      expect(keyMatches(created.apiKey, row!.apiKeyHashes[0]!)).toBe(true);
      expect(keyMatches(`${created.apiKey}x`, row!.apiKeyHashes[0]!)).toBe(false);
      expect(JSON.stringify(row)).not.toContain(created.apiKey);
    });

    it("refuses a duplicate id, an unknown kind, a provider kind without its secret and an invalid id", async () => {
      const id = uniqueId("modem");
      await createGateway(db(), { id, kind: "generic" });
      await expectAppError(createGateway(db(), { id, kind: "generic" }), 409, "gateway_exists");
      await expectAppError(createGateway(db(), { id: uniqueId("tw"), kind: "twilio" }), 422, "missing_secret");
      await expectAppError(createGateway(db(), { id: "no spaces!", kind: "generic" }), 422, "invalid_fields");
      await expectAppError(createGateway(db(), { id: uniqueId("x"), kind: "carrier-pigeon" }), 422, "invalid_fields");
    });
  });

  describe("numbers", () => {
    it("normalises the number and derives its country", async () => {
      const { id } = await givenGateway(db());
      const row = await createNumber(db(), { number: "998940373339", gateway: id });
      expect(row).toMatchObject({ number: "+998940373339", country: "UZ", status: "active", gatewayId: id });
      await expectAppError(createNumber(db(), { number: "+998 94 037-33-39", gateway: id }), 409, "number_exists");
    });

    it("refuses invalid numbers and unknown gateways", async () => {
      const { id } = await givenGateway(db());
      for (const number of ["12345", "+99894037333", "call me", "+4477009001234"]) {
        await expectAppError(createNumber(db(), { number, gateway: id }), 422, "invalid_number");
      }
      const number = nextNumber("UZ");
      await expectAppError(createNumber(db(), { number, gateway: uniqueId("nowhere") }), 422, "unknown_gateway");
    });

    it("changes a number's status, and 404s a number that is not ours", async () => {
      const { number } = await givenInbox(db());
      expect(await updateNumber(db(), number, { status: "paused" })).toMatchObject({ number, status: "paused" });
      expect((await getNumber(db(), number))?.status).toBe("paused");
      await expectAppError(updateNumber(db(), number, { status: "deleted" }), 422, "invalid_fields");
      await expectAppError(updateNumber(db(), nextNumber("UZ"), { status: "retired" }), 404, "unknown_number");
    });
  });

  describe("storing messages", () => {
    it("stores a message with its code, and ids grow with arrival", async () => {
      const { gateway, number } = await givenInbox(db());
      const first = await storeMessages(db(), gateway, [sms(number, { text: "Telegram code: 51234" })]);
      const google = sms(number, { from: "Google", text: "G-771204 is your Google verification code." });
      const second = await storeMessages(db(), gateway, [google]);
      expect(first).toMatchObject({ accepted: 1, duplicates: 0 });
      expect(second.ids[0]).toBeGreaterThan(first.ids[0]!);

      const inbox = await inboxOf(db(), number);
      expect(inbox.map((m) => [m.id, m.from, m.code])).toEqual([
        [second.ids[0], "Google", "771204"],
        [first.ids[0], "Telegram", "51234"],
      ]);
    });

    it("stores a batch all or nothing: a reused id with other content rejects the whole batch", async () => {
      const { gateway, number } = await givenInbox(db());
      await storeMessages(db(), gateway, [sms(number, { sourceKey: "k1", text: "first" })]);
      const before = await inboxOf(db(), number);

      const batch = [
        sms(number, { sourceKey: "k2", text: "second" }),
        sms(number, { sourceKey: "k3", text: "third" }),
        sms(number, { sourceKey: "k1", text: "not the first" }),
      ];
      await expectAppError(storeMessages(db(), gateway, batch), 409, "idempotency_conflict");
      expect(await inboxOf(db(), number)).toEqual(before);
    });

    it("answers a retry with the earlier id and stores it once", async () => {
      const { gateway, number } = await givenInbox(db());
      const first = await storeMessages(db(), gateway, [sms(number, { sourceKey: "modem-1:42" })]);
      const retry = await storeMessages(db(), gateway, [
        sms(number, { sourceKey: "modem-1:42" }),
        sms(number, { sourceKey: "modem-1:43" }),
      ]);
      expect(retry).toMatchObject({ accepted: 1, duplicates: 1 });
      expect(retry.ids[0]).toBe(first.ids[0]);
      expect(retry.stored.map((m) => m.id)).toEqual([retry.ids[1]]);
      expect(await inboxOf(db(), number)).toHaveLength(2);
    });

    it("stores a large batch in order, with retries of earlier batches and keys listed twice inside it", async () => {
      const { gateway, number } = await givenInbox(db());
      const earlier = await storeMessages(db(), gateway, [sms(number, { sourceKey: "b-3", text: "message 3" })]);
      // 100 messages: every tenth without an id, key b-3 a retry of the earlier batch, b-7 listed twice.
      const batch = Array.from({ length: 100 }, (_, i) =>
        sms(number, { sourceKey: i % 10 === 5 ? null : `b-${i}`, text: `message ${i}` }),
      );
      batch.splice(50, 0, sms(number, { sourceKey: "b-7", text: "message 7" }));

      const result = await storeMessages(db(), gateway, batch);

      expect(result).toMatchObject({ accepted: 99, duplicates: 2 });
      expect(result.ids[3]).toBe(earlier.ids[0]);
      expect(result.ids[50]).toBe(result.ids[7]);
      // Each id answers for its own message, and ids grow in the order the batch lists them.
      const inbox = await inboxOf(db(), number);
      const textOf = new Map(inbox.map((m) => [m.id, m.text]));
      expect(result.ids.map((id) => textOf.get(id!))).toEqual(batch.map((m) => m.text));
      const firstCopies = result.ids.filter((id, i) => i !== 3 && i !== 50);
      expect(firstCopies).toEqual([...firstCopies].sort((a, b) => a! - b!));
      expect(result.stored.map((m) => m.id)).toEqual(firstCopies);
      expect(inbox).toHaveLength(100);
      expect((await getNumber(db(), number))?.messages24h).toBe(100);
    });

    it("refuses a batch that lists one id twice with different content, and stores none of it", async () => {
      const { gateway, number } = await givenInbox(db());
      const batch = [
        sms(number, { sourceKey: "k", text: "one" }),
        sms(number, { text: "two" }),
        sms(number, { sourceKey: "k", text: "three" }),
      ];
      await expectAppError(storeMessages(db(), gateway, batch), 409, "idempotency_conflict");
      expect(await inboxOf(db(), number)).toEqual([]);
    });

    it("never de-duplicates messages that carry no id", async () => {
      const { gateway, number } = await givenInbox(db());
      const same = sms(number, { text: "Your code is 1234" });
      await storeMessages(db(), gateway, [same, same]);
      await storeMessages(db(), gateway, [same]);
      expect(await inboxOf(db(), number)).toHaveLength(3);
    });

    it("stores one copy when the same message arrives ten times at once", async () => {
      const { gateway, number } = await givenInbox(db());
      const message = sms(number, { sourceKey: "retry-storm" });
      const results = await Promise.all(Array.from({ length: 10 }, () => storeMessages(db(), gateway, [message])));

      const ids = new Set(results.map((r) => r.ids[0]));
      expect(ids.size).toBe(1);
      expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(1);
      expect((await inboxOf(db(), number)).map((m) => m.id)).toEqual([...ids]);
    });

    // The batches race for key k: whichever stores it first, the other finds a copy with other content, and its
    // other messages must go with it. A check that read the table in the same statement would not see a copy
    // committed after that statement began.
    it("of batches sent at once that reuse an id with other content, one is stored whole, the others not at all", async () => {
      const { gateway, number } = await givenInbox(db());
      const batches = Array.from({ length: 6 }, (_, b) => [
        sms(number, { sourceKey: `own-${b}`, text: `batch ${b}, own message` }),
        sms(number, { sourceKey: "k", text: `batch ${b}, shared id` }),
      ]);
      const results = await Promise.allSettled(batches.map((batch) => storeMessages(db(), gateway, batch)));

      const stored = results.flatMap((r, b) => (r.status === "fulfilled" ? [b] : []));
      expect(stored).toHaveLength(1);
      for (const r of results)
        if (r.status === "rejected")
          expect(r.reason).toMatchObject({
            status: 409,
            code: "idempotency_conflict",
            detail: expect.stringContaining("'k'"),
          });
      const texts = (await inboxOf(db(), number)).map((m) => m.text).sort();
      expect(texts).toEqual(batches[stored[0]!]!.map((m) => m.text).sort());
    });

    it("records when the number last got a message and when the host was last seen", async () => {
      const { gateway, number } = await givenInbox(db());
      expect(await timestamps(db(), gateway, number)).toEqual({ lastMessageAt: null, lastSeenAt: null });

      const before = Date.now();
      await storeMessages(db(), gateway, [sms(number)]);
      const after = await timestamps(db(), gateway, number);
      for (const at of [after.lastMessageAt, after.lastSeenAt]) {
        expect(at?.getTime()).toBeGreaterThanOrEqual(before - CLOCK_SLACK_MS);
        expect(at?.getTime()).toBeLessThanOrEqual(Date.now() + CLOCK_SLACK_MS);
      }
    });
  });

  describe("concurrent senders", () => {
    beforeAll(() => liveInboxes.useReader(databaseReader(db())));

    // The cursor promise: every reader that moves an `id > cursor` cursor forward sees every acknowledged
    // message exactly once, however the senders' commits interleave (lib/inbox/locks.ts).
    it("a live subscriber, an after= poller and a series of waits each see every message of 16 senders once", async () => {
      const inbox = await givenInbox(db());
      const SENDERS = 16;
      const EACH = 15;
      const total = SENDERS * EACH;

      const live: number[] = [];
      const unsubscribe = await liveInboxes.subscribe(inbox.number, (m) => live.push(m.id));
      const acknowledged: number[] = [];
      let sending = true;

      const poller = (async () => {
        const seen: number[] = [];
        for (let cursor = 0; sending || cursor < Math.max(0, ...acknowledged);) {
          const page = await listMessages(db(), inbox.number, { limit: 50, after: cursor });
          const ids = page.messages.map((m) => m.id).reverse();
          seen.push(...ids);
          cursor = ids.at(-1) ?? cursor;
        }
        return seen;
      })();
      const waits = (async () => {
        const seen: number[] = [];
        while (seen.length < total) {
          const found = await waitForMessage({
            number: inbox.number,
            filter: { contains: "sender" },
            live: liveInboxes,
            after: seen.at(-1) ?? 0,
            stored: (cursor) => messagesAfter(db(), inbox.number, cursor, 100),
            pageSize: 100,
            timeoutMs: 30_000,
            signal: new AbortController().signal,
          });
          if (!found) break;
          seen.push(found.id);
        }
        return seen;
      })();

      await Promise.all(
        Array.from({ length: SENDERS }, async (_, s) => {
          for (let i = 0; i < EACH; i++) {
            const { ids } = await post(
              db(),
              inbox,
              body(inbox.number, { text: `sender ${s} message ${i}`, id: `${s}-${i}` }),
            );
            acknowledged.push(...ids);
          }
        }),
      );
      sending = false;
      const expected = [...acknowledged].sort((a, b) => a - b);
      expect(expected).toHaveLength(total);

      expect(await poller).toEqual(expected);
      expect(await waits).toEqual(expected);
      expect((await getNumber(db(), inbox.number))?.messages24h).toBe(total);
      await vi.waitFor(() => expect(live).toHaveLength(total), { timeout: 20_000 });
      unsubscribe();
      expect(live).toEqual(expected);
    }, 120_000);

    it("stores parallel batches of the same ids in different orders once, and none of them fails", async () => {
      const { id: gateway } = await givenGateway(db());
      const numbersOfGateway = await givenNumbers(db(), gateway, ["a", "b", "c", "d"]);
      const targets = Object.values(numbersOfGateway);
      const keys = Array.from({ length: 20 }, (_, i) => `dup-${i}`);
      const message = (key: string, i: number) =>
        sms(targets[i % targets.length]!, { sourceKey: key, text: `message ${key}` });
      // Eight batches over the same twenty ids, each in its own order (rotated, and every other one reversed).
      const batches = Array.from({ length: 8 }, (_, b) => {
        const rotated = keys.map((_, i) => keys[(i + b * 3) % keys.length]!);
        return (b % 2 ? rotated.reverse() : rotated).map((key) => message(key, keys.indexOf(key)));
      });

      const results = await Promise.all(batches.map((batch) => storeMessages(db(), gateway, batch)));

      expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(keys.length);
      expect(results.reduce((n, r) => n + r.duplicates, 0)).toBe(keys.length * (batches.length - 1));
      // Every batch names the same stored id for each key, whichever batch stored it.
      const idOf = (r: (typeof results)[number], b: number, key: string) =>
        r.ids[batches[b]!.findIndex((m) => m.sourceKey === key)];
      for (const key of keys) expect(new Set(results.map((r, b) => idOf(r, b, key))).size).toBe(1);
      const inboxes = await Promise.all(targets.map((n) => inboxOf(db(), n)));
      expect(
        inboxes
          .flat()
          .map((m) => m.text)
          .sort(),
      ).toEqual(keys.map((k) => `message ${k}`).sort());
      // Each number's last-day count is what it stored: a duplicate in another batch is not an arrival.
      const counts = await Promise.all(targets.map(async (n) => (await getNumber(db(), n))?.messages24h));
      expect(counts).toEqual(inboxes.map((inbox) => inbox.length));
    });
  });

  describe("ingesting a request", () => {
    it("refuses messages to a number that is not the gateway's, or not active", async () => {
      const inbox = await givenInbox(db());
      const other = await givenInbox(db());
      await expectAppError(post(db(), inbox, body(other.number)), 422, "unknown_recipient");
      await updateNumber(db(), inbox.number, { status: "paused" });
      // As every admin write does (lib/admin/handler.ts): ingest keeps a gateway's numbers until told.
      await announceChange("everything");
      await expectAppError(post(db(), inbox, body(inbox.number)), 422, "unknown_recipient");
      expect(await inboxOf(db(), inbox.number)).toEqual([]);
    });

    it("keeps the sender as sent and the text exactly", async () => {
      const inbox = await givenInbox(db());
      const sent = [
        { from: "Google", text: "G-123456 is your Google verification code." },
        { from: "VM-HDFCBK", text: "482913 is the OTP for your HDFC Bank NetBanking login." },
        { from: "12345", text: "Ваш код подтверждения: 4821 🔐" },
        { from: "07911123456", text: "رمز التحقق الخاص بك هو 7391" },
        { from: "WeChat", text: "【微信】您的验证码是 583920，5分钟内有效。👍🏽\n第二行" },
      ];
      const answer = await post(db(), inbox, { messages: sent.map((m) => body(inbox.number, m)) });
      expect(answer).toMatchObject({ accepted: sent.length, duplicates: 0 });

      const stored = (await inboxOf(db(), inbox.number)).reverse();
      expect(stored.map(({ from, text }) => ({ from, text }))).toEqual(sent);
      expect(stored.map((m) => m.id)).toEqual(answer.ids);
    });

    it("keeps texts, senders and ids that look like SQL or array syntax exactly, and knows their retries", async () => {
      const inbox = await givenInbox(db());
      const awkward = ['"quoted"', "back\\slash \\", '\\"', "a,b", "{braces}", "NULL", "", "  ", "it's $1", '}{",NULL'];
      const sent = awkward.map((text, i) => ({
        from: `${i}${text}`.slice(0, 11).trim(),
        text: `${text} 4821`,
        id: `${text}|${i}`,
      }));
      const answer = await post(db(), inbox, { messages: sent.map((m) => body(inbox.number, m)) });
      expect(answer).toMatchObject({ accepted: sent.length, duplicates: 0 });
      const stored = (await inboxOf(db(), inbox.number)).reverse();
      expect(stored.map(({ from, text }) => ({ from, text }))).toEqual(sent.map(({ from, text }) => ({ from, text })));

      const retried = await post(db(), inbox, { messages: sent.map((m) => body(inbox.number, m)) });
      expect(retried).toMatchObject({ accepted: 0, duplicates: sent.length, ids: answer.ids });
    });

    it("refuses a NUL character in the text and a body that is not UTF-8", async () => {
      const inbox = await givenInbox(db());
      await expectAppError(post(db(), inbox, body(inbox.number, { text: "code\u0000 1234" })), 422, "invalid_text");

      const json = new TextEncoder().encode(JSON.stringify(body(inbox.number, { text: "code: 1234 ?" })));
      json[json.lastIndexOf("?".charCodeAt(0))] = 0xff;
      await expectAppError(post(db(), inbox, json), 400, "invalid_utf8");
      expect(await inboxOf(db(), inbox.number)).toEqual([]);
    });

    it("refuses a NUL in the recipient, the sender or the id with a 422 that names the field, and quarantines it", async () => {
      const inbox = await givenInbox(db());
      const cases = [
        { fields: { to: `${inbox.number}\u0000` }, code: "unknown_recipient", field: "'to'" },
        { fields: { from: "Tele\u0000gram" }, code: "invalid_sender", field: "'from'" },
        { fields: { id: "modem-1:\u0000" }, code: "invalid_id", field: "'id'" },
      ];
      for (const { fields, code, field } of cases) {
        const refused = post(db(), inbox, { messages: [body(inbox.number), body(inbox.number, fields)] });
        await expectAppError(refused, 422, code);
        await expect(refused).rejects.toThrow(`messages[1]: ${field} contains a NUL character.`);
      }
      const kept = (await listQuarantine(db(), 1000)).filter((q) => q.gateway === inbox.gateway);
      expect(kept.map((q) => q.error).sort()).toEqual(cases.map((c) => c.code).sort());
      expect(await inboxOf(db(), inbox.number)).toEqual([]);
    });

    it("quarantines a refusal whose words carry a NUL or a broken surrogate, escaped", async () => {
      const inbox = await givenInbox(db());
      const request = new Request(`http://numbox.test/api/inbound/${inbox.gateway}?note=%00`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-source": "modem\u00a0one" },
        body: '{"to":"\\u0000"}',
      });
      const inbound = toInboundRequest(request, new TextEncoder().encode('{"to":"\\u0000"}'), "http://numbox.test");
      await quarantine(
        db(),
        inbox.gateway,
        inbound,
        new AppError("unknown_recipient", "'to' (+998\u0000\ud800) is not ours."),
      );
      const [kept] = (await listQuarantine(db(), 1000)).filter((q) => q.gateway === inbox.gateway);
      expect(kept).toMatchObject({
        error: "unknown_recipient",
        detail: "'to' (+998\\u0000\ufffd) is not ours.",
        body: '{"to":"\\u0000"}',
      });
      expect(kept!.url).toBe(`http://numbox.test/api/inbound/${inbox.gateway}?note=%00`);
      expect(kept!.headers).toMatchObject({ "x-source": "modem\u00a0one" });
    });

    it("stores the sender's receivedAt but orders by arrival, whatever the sender's clock says", async () => {
      const inbox = await givenInbox(db());
      const clocks = ["2026-11-22T10:00:00.000Z", "2019-03-01T08:30:00.000Z", "2031-01-01T00:00:00.000Z"];
      const ids: number[] = [];
      for (const [i, receivedAt] of clocks.entries()) {
        ids.push(...(await post(db(), inbox, body(inbox.number, { text: `message ${i}`, receivedAt }))).ids);
      }
      const stored = await inboxOf(db(), inbox.number);
      expect(stored.map((m) => [m.id, m.text, m.receivedAt])).toEqual(
        clocks.map((at, i) => [ids[i], `message ${i}`, at]).reverse(),
      );
    });
  });

  describe("reading an inbox", () => {
    it("pages newest first through every message exactly once", async () => {
      const { gateway, number } = await givenInbox(db());
      const all = await storeCount(db(), gateway, number, 23);

      const seen: number[] = [];
      let before: number | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page = await listMessages(db(), number, { limit: 5, before });
        seen.push(...page.messages.map((m) => m.id));
        if (page.next === null) break;
        before = page.next;
      }
      expect(seen).toEqual([...all].reverse());
    });

    it("gives the messages right after a cursor (newest first; oldest first for a stream replay)", async () => {
      const { gateway, number } = await givenInbox(db());
      const all = await storeCount(db(), gateway, number, 12);
      const cursor = all[3]!;

      const page = await listMessages(db(), number, { limit: 4, after: cursor });
      expect(page.messages.map((m) => m.id)).toEqual(all.slice(4, 8).reverse());
      expect((await messagesAfter(db(), number, cursor, 4)).map((m) => m.id)).toEqual(all.slice(4, 8));
      expect(await messagesAfter(db(), number, all.at(-1)!, 4)).toEqual([]);
    });

    it("keeps one number's messages out of another's inbox", async () => {
      const a = await givenInbox(db());
      const b = await givenInbox(db(), a.gateway);
      await storeMessages(db(), a.gateway, [sms(a.number, { text: "for a" }), sms(b.number, { text: "for b" })]);
      expect((await inboxOf(db(), a.number)).map((m) => m.text)).toEqual(["for a"]);
      expect((await inboxOf(db(), b.number)).map((m) => m.text)).toEqual(["for b"]);
    });
  });

  describe("number lists and health", () => {
    it("lists usable numbers, most recently active first, with their last-day counts", async () => {
      const gateway = (await givenGateway(db())).id;
      const n = await givenNumbers(db(), gateway, ["quiet", "busy", "paused", "retired"]);
      await storeMessages(
        db(),
        gateway,
        [n.quiet, n.paused, n.retired, n.busy, n.busy, n.busy].map((to) => sms(to)),
      );
      await setLastMessageAt(db(), { [n.busy]: hoursAgo(1), [n.paused]: hoursAgo(2), [n.quiet]: hoursAgo(3) });
      await moveOldestMessage(db(), n.busy, hoursAgo(30)); // one of busy's messages is older than a day
      await updateNumber(db(), n.paused, { status: "paused" });
      await updateNumber(db(), n.retired, { status: "retired" });

      const listed = await listNumbers(db(), { country: "UZ" });
      const mine = listed.filter((row) => Object.values(n).includes(row.number));
      expect(mine.map((row) => [row.number, row.status, row.messages24h])).toEqual([
        [n.busy, "active", 2],
        [n.paused, "paused", 1],
        [n.quiet, "active", 1],
      ]);
      expect(await getNumber(db(), n.retired)).toMatchObject({ status: "retired", health: "retired" });
    });

    it("lists recently active numbers for the home page, without paused, retired or silent ones", async () => {
      const gateway = (await givenGateway(db())).id;
      const n = await givenNumbers(db(), gateway, ["older", "newer", "paused", "silent"]);
      await storeMessages(db(), gateway, [sms(n.older), sms(n.newer), sms(n.paused)]);
      await setLastMessageAt(db(), { [n.older]: hoursAgo(2), [n.newer]: hoursAgo(1), [n.paused]: hoursAgo(0.5) });
      await updateNumber(db(), n.paused, { status: "paused" });

      const mine = Object.values(n);
      const recent = async () =>
        (await recentNumbers(db(), 100)).map((row) => row.number).filter((number) => mine.includes(number));
      expect(await recent()).toEqual([n.newer, n.older]);
      await updateNumber(db(), n.newer, { status: "retired" });
      expect(await recent()).toEqual([n.older]);
    });

    it("says honestly whether a number is alive", async () => {
      const { gateway, number } = await givenInbox(db());
      const health = async () => (await getNumber(db(), number))?.health;
      const offlineAfterMs = config().HOST_OFFLINE_AFTER_MINUTES * 60_000;

      expect(await health()).toBe("offline"); // the host was never heard from
      await storeMessages(db(), gateway, [sms(number)]);
      expect(await health()).toBe("active");
      await db()
        .update(numbers)
        .set({ lastMessageAt: hoursAgo(7) })
        .where(eq(numbers.number, number));
      expect(await health()).toBe("quiet"); // host up, but nothing arrived for over 6 h
      const longAgo = new Date(Date.now() - 2 * offlineAfterMs);
      await db().update(gateways).set({ lastSeenAt: longAgo }).where(eq(gateways.id, gateway));
      expect(await health()).toBe("offline");
      await updateNumber(db(), number, { status: "paused" });
      expect(await health()).toBe("paused");
      expect(await getNumber(db(), nextNumber("UZ"))).toBeUndefined();
    });
  });

  describe("countries", () => {
    const emptyDb = useDatabase(open);

    it("lists countries with a usable number and counts the active ones", async () => {
      const gateway = (await givenGateway(emptyDb())).id;
      const add = (country: Country, status: "active" | "paused" | "retired") =>
        givenNumber(emptyDb(), gateway, country).then((n) => updateNumber(emptyDb(), n, { status }));
      await Promise.all([
        add("DE", "active"),
        add("DE", "active"),
        add("DE", "paused"),
        add("DE", "retired"),
        add("UZ", "active"),
        add("UZ", "active"),
        add("UZ", "active"),
        add("GB", "paused"),
        add("FR", "retired"),
      ]);
      expect(await listCountries(emptyDb())).toEqual([
        { code: "UZ", name: "Uzbekistan", numbers: 3 },
        { code: "DE", name: "Germany", numbers: 2 },
        { code: "GB", name: "United Kingdom", numbers: 0 },
      ]);
    });
  });

  describe("demo seed", () => {
    const emptyDb = useDatabase(open);

    it("fills an empty database once, and never again", async () => {
      expect(await seedDemo(emptyDb(), { gatewayKey: "demo-key-for-tests", messagesPerNumber: 3 })).toBe(true);
      const seeded = await rowCounts(emptyDb());
      expect(seeded).toEqual({ gateways: 1, numbers: DEMO_NUMBERS.length, messages: 3 * DEMO_NUMBERS.length });
      const demoNumber = await getNumber(emptyDb(), DEMO_NUMBERS[0]!);
      expect(demoNumber).toMatchObject({ demo: true, health: "active", messages24h: 3 });

      expect(await seedDemo(emptyDb(), { gatewayKey: "demo-key-for-tests" })).toBe(false);
      expect(await rowCounts(emptyDb())).toEqual(seeded);
    });

    it("leaves a database that has an operator's gateway alone", async () => {
      await givenGateway(db());
      const before = await rowCounts(db());
      expect(await seedDemo(db(), { gatewayKey: "demo-key-for-tests" })).toBe(false);
      expect(await rowCounts(db())).toEqual(before);
      expect(await db().select().from(gateways).where(eq(gateways.id, DEMO_GATEWAY_ID))).toEqual([]);
    });
  });

  describe("waiting for a message", () => {
    beforeAll(() => liveInboxes.useReader(databaseReader(db())));
    // Long enough never to run out before a message that does come arrives, on a busy machine too.
    const wait = (number: string, after: number, filter: WaitFilter, onLooked = () => {}, timeoutMs = 20_000) =>
      waitForMessage({
        number,
        filter,
        live: liveInboxes,
        after,
        stored: (cursor) => messagesAfter(db(), number, cursor, 100).finally(onLooked),
        pageSize: 100,
        timeoutMs,
        signal: new AbortController().signal,
      });

    it("finds a matching message that arrived after the cursor, ignoring case", async () => {
      const { gateway, number } = await givenInbox(db());
      const earlier = await storeMessages(db(), gateway, [sms(number, { text: "Telegram code: 11111" })]);
      const cursor = earlier.ids[0]!;
      const later = await storeMessages(db(), gateway, [
        sms(number, { from: "WhatsApp", text: "Your WhatsApp code: 222-222" }),
        sms(number, { from: "Telegram", text: "Telegram CODE: 33333" }),
      ]);
      const found = await wait(number, cursor, { from: "telegram", contains: "code" });
      expect(found).toMatchObject({ id: later.ids[1], text: "Telegram CODE: 33333" });
    });

    it("resolves with a matching message stored while it waits", async () => {
      const inbox = await givenInbox(db());
      let looked!: () => void;
      const hasLooked = new Promise<void>((resolve) => (looked = resolve));
      const waiting = wait(inbox.number, 0, { contains: "uber" }, looked);

      await hasLooked; // nothing stored yet: only the live inbox can deliver it now
      await post(db(), inbox, body(inbox.number, { from: "Lyft", text: "Your Lyft code is 1234" }));
      const { ids } = await post(db(), inbox, body(inbox.number, { from: "Uber", text: "Your Uber code: 5678" }));
      expect(await waiting).toMatchObject({ id: ids[0], from: "Uber", code: "5678" });
      expect(liveInboxes.subscriberCount(inbox.number)).toBe(0);
    });

    it("gives up with null when nothing matches in time", async () => {
      const { gateway, number } = await givenInbox(db());
      await storeMessages(db(), gateway, [sms(number, { from: "Google" })]);
      const started = Date.now();
      expect(await wait(number, 0, { from: "Telegram" }, undefined, 200)).toBeNull();
      expect(Date.now() - started).toBeGreaterThanOrEqual(150);
      expect(liveInboxes.subscriberCount(number)).toBe(0);
    });
  });
});

// ---- helpers ---------------------------------------------------------------------------------------------------

const MAX_BODY_BYTES = 256 * 1024;
// Our clock and the database's may differ by a little (Postgres's now() vs Date.now()).
const CLOCK_SLACK_MS = 2_000;

/** A database for the enclosing describe block. */
function useDatabase(open: () => Promise<TestDatabase>): () => Db {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(async () => {
    await database?.close();
  });
  return () => {
    if (!database) throw new Error("the database is not open (did beforeAll fail?)");
    return database.db;
  };
}

let serial = 0;
const run = Math.random().toString(36).slice(2, 6);

function uniqueId(prefix: string): string {
  return `${prefix}-${run}-${++serial}`;
}

type Country = "UZ" | "DE" | "GB" | "FR";
const NUMBER_PLANS: Record<Country, { prefix: string; digits: number }> = {
  UZ: { prefix: "+99890", digits: 7 },
  DE: { prefix: "+49151", digits: 8 },
  GB: { prefix: "+447400", digits: 6 },
  FR: { prefix: "+336", digits: 8 },
};

/** A valid number in the country's mobile range, unused so far in this run. */
function nextNumber(country: Country): string {
  const plan = NUMBER_PLANS[country];
  return `${plan.prefix}${String(++serial).padStart(plan.digits, "0")}`;
}

async function givenGateway(db: Db): Promise<{ id: string; apiKey: string }> {
  return createGateway(db, { id: uniqueId("gw"), kind: "generic" });
}

async function givenNumber(db: Db, gateway: string, country: Country = "UZ"): Promise<string> {
  return (await createNumber(db, { number: nextNumber(country), gateway })).number;
}

/** Several numbers on one gateway, by the role each plays in a test. */
async function givenNumbers<Role extends string>(db: Db, gateway: string, roles: Role[]) {
  const created = {} as Record<Role, string>;
  for (const role of roles) created[role] = await givenNumber(db, gateway);
  return created;
}

type Inbox = { gateway: string; apiKey: string; number: string };

/** A generic gateway with one active number: what a modem host has after setup. */
async function givenInbox(db: Db, gateway?: string): Promise<Inbox> {
  const gw = gateway ? { id: gateway, apiKey: "" } : await givenGateway(db);
  return { gateway: gw.id, apiKey: gw.apiKey, number: await givenNumber(db, gw.id) };
}

function sms(to: string, fields: Partial<ValidMessage> = {}): ValidMessage {
  return validMessage({ to, from: "Telegram", text: "Telegram code: 51234", ...fields });
}

/** The generic format's JSON for one message. */
function body(to: string, fields: Record<string, unknown> = {}) {
  return { to, from: "Telegram", text: "Telegram code: 51234", ...fields };
}

type IngestAnswer = { accepted: number; duplicates: number; ids: number[] };

/** POSTs to the ingestion pipeline as the gateway's host would, with its key; the parsed 200 answer. */
async function post(db: Db, inbox: Inbox, payload: unknown): Promise<IngestAnswer> {
  const request = new Request(`http://numbox.test/api/inbound/${inbox.gateway}`, {
    method: "POST",
    headers: { authorization: `Bearer ${inbox.apiKey}`, "content-type": "application/json" },
    body: payload instanceof Uint8Array ? (payload as Uint8Array<ArrayBuffer>) : JSON.stringify(payload),
  });
  const response = await ingest(db, inbox.gateway, request, {
    maxBodyBytes: MAX_BODY_BYTES,
    maxUrlLength: 8192,
    publicUrl: "http://numbox.test",
  });
  expect(response.status).toBe(200);
  return (await response.json()) as IngestAnswer;
}

async function expectAppError(promise: Promise<unknown>, status: number, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected AppError ${status} ${code}`).toBeInstanceOf(AppError);
  expect(error).toMatchObject({ status, code });
}

/** The whole inbox, newest first, as a visitor sees it. */
async function inboxOf(db: Db, number: string): Promise<Message[]> {
  return (await listMessages(db, number, { limit: 1000 })).messages;
}

/** Stores `n` messages one by one; their ids, oldest first. */
async function storeCount(db: Db, gateway: string, number: string, n: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const [id] = (await storeMessages(db, gateway, [sms(number, { text: `message ${i}` })])).ids;
    ids.push(id!);
  }
  return ids;
}

async function timestamps(db: Db, gateway: string, number: string) {
  const [n] = await db.select({ at: numbers.lastMessageAt }).from(numbers).where(eq(numbers.number, number));
  const [g] = await db.select({ at: gateways.lastSeenAt }).from(gateways).where(eq(gateways.id, gateway));
  return { lastMessageAt: n?.at ?? null, lastSeenAt: g?.at ?? null };
}

function hoursAgo(hours: number): Date {
  return new Date(Date.now() - hours * 60 * 60 * 1000);
}

/**
 * Moves the oldest message of a number back in time, as if it had arrived then; the number's activity is recounted
 * from its messages, as the purge does after deleting recent ones.
 */
async function moveOldestMessage(db: Db, number: string, at: Date): Promise<void> {
  const [oldest] = await db
    .select({ id: messages.id })
    .from(messages)
    .where(eq(messages.number, number))
    .orderBy(messages.id)
    .limit(1);
  await db.update(messages).set({ createdAt: at }).where(eq(messages.id, oldest!.id));
  await recountActivity(db, number, new Date());
}

/** Explicit times, so that an order "by last message" never rests on two stores landing in the same millisecond. */
async function setLastMessageAt(db: Db, times: Record<string, Date>): Promise<void> {
  for (const [number, at] of Object.entries(times)) {
    await db.update(numbers).set({ lastMessageAt: at }).where(eq(numbers.number, number));
  }
}

async function rowCounts(db: Db) {
  const total = async (table: typeof gateways | typeof numbers | typeof messages) =>
    (await db.select({ n: count() }).from(table))[0]!.n;
  return { gateways: await total(gateways), numbers: await total(numbers), messages: await total(messages) };
}
