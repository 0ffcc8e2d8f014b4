import { describe, expect, it } from "vitest";
import { messages } from "@/db/schema";
import { createGateway } from "@/lib/admin/gateways";
import { hashKey } from "@/lib/security/secrets";
import { createNumber } from "@/lib/admin/numbers";
import type { GatewayAuth } from "../adapter";
import { listQuarantine } from "../quarantine";
import { toInboundRequest } from "../request";
import { infobip } from "./infobip";
import { appError, pipelineDatabase } from "@/lib/testing/adapters";

const API_KEY = "nbx_infobip-test-key-0123456789abcdef0123456789";
const PUBLIC_URL = "https://numbox.example";
const URL_PATH = `${PUBLIC_URL}/api/inbound/infobip-1`;

// docs/ingest-sources.md §6: Infobip's documented MO_JSON_2 example, byte for byte.
const GOLDEN =
  '{"results":[{"messageId":"817790313235066447","from":"385916242493","to":"385921004026",' +
  '"text":"QUIZ Correct answer is Paris","cleanText":"Correct answer is Paris","keyword":"QUIZ",' +
  '"receivedAt":"2016-10-06T09:28:39.220+0000","smsCount":1,' +
  '"price":{"pricePerMessage":0,"currency":"EUR"},"callbackData":"callbackData"}],' +
  '"messageCount":1,"pendingMessageCount":0}';

type Result = Record<string, unknown>;
const result = (fields: Result = {}): Result => ({
  messageId: "817790313235066447",
  from: "385916242493",
  to: "385921004026",
  text: "QUIZ Correct answer is Paris",
  receivedAt: "2016-10-06T09:28:39.220+0000",
  smsCount: 1,
  ...fields,
});
const batch = (results: Result[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ results, messageCount: results.length, pendingMessageCount: 0, ...extra });

const gateway: GatewayAuth = {
  id: "infobip-1",
  kind: "infobip",
  apiKeyHashes: [hashKey(API_KEY)],
  secrets: [],
  config: {},
};
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

function inbound(body: string, headers: Record<string, string> = {}, url = URL_PATH) {
  const bytes = new TextEncoder().encode(body);
  const request = new Request(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: bytes,
  });
  return toInboundRequest(request, bytes, PUBLIC_URL);
}

describe("infobip authentication (the gateway's API key)", () => {
  it("takes the key as the Basic auth password (any user), a bearer token, or ?key=", () => {
    expect(() =>
      infobip.authenticate(inbound(GOLDEN, { authorization: basic("infobip", API_KEY) }), gateway),
    ).not.toThrow();
    expect(() => infobip.authenticate(inbound(GOLDEN, { authorization: basic("", API_KEY) }), gateway)).not.toThrow();
    expect(() => infobip.authenticate(inbound(GOLDEN, { authorization: `Bearer ${API_KEY}` }), gateway)).not.toThrow();
    expect(() => infobip.authenticate(inbound(GOLDEN, {}, `${URL_PATH}?key=${API_KEY}`), gateway)).not.toThrow();
  });

  it("refuses a wrong key (one character changed) with 401 bad_key", () => {
    const wrong = API_KEY.slice(0, -1) + "x";
    for (const headers of [{ authorization: basic("infobip", wrong) }, { authorization: `Bearer ${wrong}` }]) {
      const error = appError(() => infobip.authenticate(inbound(GOLDEN, headers), gateway));
      expect([error.status, error.code]).toEqual([401, "bad_key"]);
    }
    const error = appError(() => infobip.authenticate(inbound(GOLDEN, {}, `${URL_PATH}?key=${wrong}`), gateway));
    expect([error.status, error.code]).toEqual([401, "bad_key"]);
  });

  it("refuses a request without credentials with 401 missing_credentials and a challenge", () => {
    const error = appError(() => infobip.authenticate(inbound(GOLDEN), gateway));
    expect([error.status, error.code]).toEqual([401, "missing_credentials"]);
    expect(error.headers["WWW-Authenticate"]).toContain("Basic");
  });

  it("refuses malformed Basic credentials with 400 malformed_signature", () => {
    for (const authorization of ["Basic %%%", `Basic ${Buffer.from("no-colon").toString("base64")}`]) {
      const error = appError(() => infobip.authenticate(inbound(GOLDEN, { authorization }), gateway));
      expect([error.status, error.code], authorization).toEqual([400, "malformed_signature"]);
    }
  });
});

describe("infobip parse", () => {
  it("reads the golden batch", () => {
    expect(infobip.parse(inbound(GOLDEN), gateway)).toEqual({
      messages: [
        {
          to: "385921004026",
          from: "+385916242493",
          text: "QUIZ Correct answer is Paris",
          receivedAt: new Date("2016-10-06T09:28:39.220Z"),
          sourceKey: "817790313235066447",
          segments: 1,
        },
      ],
    });
  });

  it("keeps alphanumeric senders and short codes as sent, Unicode text exactly, an unreadable time as null", () => {
    const body = batch([
      result({ messageId: "1", from: "InfoSMS", text: "Ваш код: 4821 🙂", receivedAt: "not a date" }),
      result({ messageId: "2", from: "32665", text: "", smsCount: 3 }),
    ]);
    expect(infobip.parse(inbound(body), gateway)).toMatchObject({
      messages: [
        { from: "InfoSMS", text: "Ваш код: 4821 🙂", receivedAt: null, sourceKey: "1" },
        { from: "32665", text: "", segments: 3, sourceKey: "2" },
      ],
    });
  });

  it("refuses a batch whose messageCount does not match results (422 invalid_batch)", () => {
    const error = appError(() => infobip.parse(inbound(batch([result()], { messageCount: 2 })), gateway));
    expect([error.status, error.code]).toEqual([422, "invalid_batch"]);
  });

  it("refuses the whole batch when any result is invalid (422 invalid_batch, naming it)", () => {
    const cases: Result[] = [
      result({ messageId: "2", from: "" }),
      result({ messageId: "2", from: undefined }),
      result({ messageId: "2", text: undefined }),
      result({ messageId: undefined }),
      result({ messageId: "2", from: "+1234567890123456789012" }),
    ];
    for (const bad of cases) {
      const error = appError(() => infobip.parse(inbound(batch([result({ messageId: "1" }), bad])), gateway));
      expect([error.status, error.code], JSON.stringify(bad)).toEqual([422, "invalid_batch"]);
      expect(error.detail).toContain("results[1]");
    }
  });

  it("answers a body that is not a batch with 400 malformed_body, and an empty batch with ignored", () => {
    expect(appError(() => infobip.parse(inbound('{"results":'), gateway)).code).toBe("malformed_body");
    expect(appError(() => infobip.parse(inbound('{"messageId":"1"}'), gateway)).code).toBe("malformed_body");
    expect(infobip.parse(inbound('{"results":[],"messageCount":0}'), gateway)).toEqual({
      ignored: "The Infobip batch holds no messages.",
    });
  });
});

describe("infobip through the pipeline (PGlite)", () => {
  const pipeline = pipelineDatabase(PUBLIC_URL, async (db) => {
    await createGateway(db, { id: "infobip-1", kind: "infobip" }, { apiKey: API_KEY });
    await createNumber(db, { number: "+385921004026", gateway: "infobip-1" });
    await createNumber(db, { number: "+385921004027", gateway: "infobip-1" });
  });

  async function post(body: string, headers: Record<string, string> = { authorization: basic("infobip", API_KEY) }) {
    const request = new Request("http://internal:3000/api/inbound/infobip-1", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
    return pipeline.ingest("infobip-1", request);
  }

  it("stores the golden batch, answers 200, and the same 200 to a retry with one row", async () => {
    const first = await post(GOLDEN);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await first.json()).toEqual({ ok: true, accepted: 1, duplicates: 0 });
    const retry = await post(GOLDEN);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ ok: true, accepted: 0, duplicates: 1 });

    const page = await pipeline.inbox("+385921004026");
    expect(page.messages).toHaveLength(1);
    expect(page.messages[0]).toMatchObject({
      from: "+385916242493",
      text: "QUIZ Correct answer is Paris",
      receivedAt: "2016-10-06T09:28:39.220Z",
    });
    const [row] = await pipeline.db.select().from(messages);
    expect(row).toMatchObject({ sourceKey: "817790313235066447", segments: 1 });
  });

  it("stores the rest of a batch some of which is already stored (200)", async () => {
    const body = batch([result(), result({ messageId: "900", to: "385921004027", text: "Second" })]);
    const response = await post(body);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, accepted: 1, duplicates: 1 });
    expect((await pipeline.inbox("+385921004027")).messages).toHaveLength(1);
  });

  it("stores nothing of a batch with an unknown recipient or an invalid result (422, quarantined)", async () => {
    const unknown = batch([result({ messageId: "901" }), result({ messageId: "902", to: "385921009999" })]);
    const response = await post(unknown);
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: "unknown_recipient" });

    const invalid = batch([result({ messageId: "903" }), result({ messageId: "904", from: "" })]);
    const refused = await post(invalid);
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ error: "invalid_batch" });

    const miscounted = await post(batch([result({ messageId: "905" })], { messageCount: 2 }));
    expect(miscounted.status).toBe(422);
    expect(await miscounted.json()).toMatchObject({ error: "invalid_batch" });

    expect(await pipeline.db.select().from(messages)).toHaveLength(2);
    expect((await listQuarantine(pipeline.db)).map((q) => q.error)).toEqual([
      "invalid_batch",
      "invalid_batch",
      "unknown_recipient",
    ]);
  });

  it("answers the same messageId with other content 409 and rolls the whole batch back", async () => {
    const body = batch([result({ messageId: "906" }), result({ text: "QUIZ Correct answer is Rome" })]);
    const response = await post(body);
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: "idempotency_conflict" });
    expect(await pipeline.db.select().from(messages)).toHaveLength(2);
  });

  it("accepts the key in the URL and refuses a request without one (401)", async () => {
    const request = new Request(`http://internal:3000/api/inbound/infobip-1?key=${API_KEY}`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=UTF-8" },
      body: batch([result({ messageId: "907", text: "via ?key=" })]),
    });
    expect((await pipeline.ingest("infobip-1", request)).status).toBe(200);
    expect((await post(GOLDEN, {})).status).toBe(401);
  });
});
