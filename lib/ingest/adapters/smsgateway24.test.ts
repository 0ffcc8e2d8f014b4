import { describe, expect, it } from "vitest";
import { messages } from "@/db/schema";
import { createGateway } from "@/lib/admin/gateways";
import { createNumber } from "@/lib/admin/numbers";
import { hashKey } from "@/lib/security/secrets";
import type { GatewayAuth } from "../adapter";
import { listQuarantine } from "../quarantine";
import { toInboundRequest } from "../request";
import { smsgateway24 } from "./smsgateway24";
import { appError, pipelineDatabase } from "@/lib/testing/adapters";

// Golden requests, in the shapes of SmsGateWay24's webhook documentation (docs/ingest-sources.md §9c) [S]:
// the older incoming-SMS payload (SIM slot, no channel_id or type) …
const OLD_BODY = JSON.stringify({
  address: "+4915112345678",
  date: "2026-11-22 10:15:00",
  date_sent: "2026-11-22 10:14:58",
  body: "Your code is 481516",
  internal_id: 2201,
  sms_id: 98765,
  device_id: 10403,
  device_name: "Pixel 7",
  sim: 1,
});
// … the current one (channel_id and type, no SIM slot) …
const NEW_BODY = JSON.stringify({
  address: "Careem",
  date: "2026-11-22 10:20:00",
  date_sent: "2026-11-22 10:19:59",
  body: "Your Careem code is 4410 & it expires in 5 min",
  internal_id: 2202,
  channel_id: 2,
  sms_id: 98766,
  device_id: 10403,
  device_name: "Pixel 7",
  type: "text",
});
// … a WhatsApp image, the delivery-status report for an outgoing SMS, and a WhatsApp text (channel 7 here).
const IMAGE_BODY = JSON.stringify({
  address: "+4915112345678",
  date: "2026-11-22 10:21:00",
  date_sent: "2026-11-22 10:21:00",
  body: "",
  internal_id: null,
  sim: 0,
  sms_id: 98767,
  type: "img",
  img_url: "https://smsgateway24.s3.eu-central-1.amazonaws.com/example.jpg",
});
const STATUS_BODY = JSON.stringify({
  sms_id: 5501,
  status_id: 7,
  status_message: "SMS has been Delivered",
  sendto: "+4915112345678",
  senttime: "2026-11-22 10:22:00",
  channel_id: 1,
  device_id: 10403,
});
const WHATSAPP_BODY = JSON.stringify({ ...JSON.parse(NEW_BODY), channel_id: 7, sms_id: 98768, body: "hi, dinner?" });

const API_KEY = "nbx_smsgateway24-test-key-0123456789abcdef";
const PUBLIC_URL = "https://numbox.example";
const CHANNELS = { smsChannels: { "1": 1, "2": 2 } };

function gateway(config: Record<string, unknown> = CHANNELS): GatewayAuth {
  return { id: "sg24-1", kind: "smsgateway24", apiKeyHashes: [hashKey(API_KEY)], secrets: [], config };
}

function inbound(body: string, query = `?key=${API_KEY}`) {
  const bytes = new TextEncoder().encode(body);
  const request = new Request(`${PUBLIC_URL}/api/inbound/sg24-1${query}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: bytes,
  });
  return toInboundRequest(request, bytes, PUBLIC_URL);
}

const parse = (body: string, config?: Record<string, unknown>) => smsgateway24.parse(inbound(body), gateway(config));

describe("smsgateway24 authentication (the API key in the URL: the app sends no header)", () => {
  it("accepts the key in the URL and refuses a missing (401) or wrong one (401 bad_key)", () => {
    expect(() => smsgateway24.authenticate(inbound(OLD_BODY), gateway())).not.toThrow();
    const missing = appError(() => smsgateway24.authenticate(inbound(OLD_BODY, ""), gateway()));
    expect([missing.status, missing.code]).toEqual([401, "missing_credentials"]);
    const wrong = appError(() => smsgateway24.authenticate(inbound(OLD_BODY, "?key=nbx_wrong"), gateway()));
    expect([wrong.status, wrong.code]).toEqual([401, "bad_key"]);
  });
});

describe("smsgateway24 parse", () => {
  it("reads the older payload: sim 0/1 is our slot 1/2, the key is device + SMS id, the date in UTC", () => {
    expect(parse(OLD_BODY, {})).toEqual({
      messages: [
        {
          from: "+4915112345678",
          text: "Your code is 481516",
          sim: 2,
          receivedAt: new Date("2026-11-22T10:15:00Z"),
          sourceKey: "10403:98765",
        },
      ],
    });
  });

  it("reads the current payload on a listed SMS channel, its slot from the channel, the date in the time zone", () => {
    expect(parse(NEW_BODY, { ...CHANNELS, timeZone: "Asia/Tashkent" })).toEqual({
      messages: [
        {
          from: "Careem",
          text: "Your Careem code is 4410 & it expires in 5 min",
          sim: 2,
          receivedAt: new Date("2026-11-22T05:20:00Z"),
          sourceKey: "10403:98766",
        },
      ],
    });
  });

  it("ignores a WhatsApp image, a text on a channel that is not an SMS channel, and a delivery-status report", () => {
    expect(parse(IMAGE_BODY)).toMatchObject({ ignored: expect.stringContaining("'img'") });
    expect(parse(WHATSAPP_BODY)).toMatchObject({ ignored: expect.stringContaining("channel_id 7") });
    expect(parse(STATUS_BODY)).toMatchObject({ ignored: expect.stringContaining("delivery-status") });
  });

  it("refuses a channel-tagged text when the gateway lists no SMS channels (422): it may be an SMS", () => {
    const error = appError(() => parse(NEW_BODY, {}));
    expect([error.status, error.code]).toEqual([422, "unknown_recipient"]);
    expect(error.message).toContain("smsChannels");
  });

  it("falls back to date_sent, then to our clock, for dates it cannot read; epoch and offsets are read as given", () => {
    const at = (fields: Record<string, unknown>) => {
      const parsed = parse(JSON.stringify({ ...JSON.parse(OLD_BODY), ...fields }), {});
      return "messages" in parsed ? parsed.messages[0]!.receivedAt : undefined;
    };
    expect(at({ date: "yesterday" })).toEqual(new Date("2026-11-22T10:14:58Z"));
    expect(at({ date: "", date_sent: "31.02.2026" })).toBeNull();
    expect(at({ date: undefined, date_sent: undefined })).toBeNull();
    expect(at({ date: "2026-02-30 10:00:00", date_sent: 0 })).toBeNull();
    expect(at({ date: 1763806500000 })).toEqual(new Date(1763806500000));
    expect(at({ date: "2026-11-22T10:15:00+05:00" })).toEqual(new Date("2026-11-22T05:15:00Z"));
  });

  it("maps several phones by device_id, dual-SIM phones by slot; an unknown device is refused (422)", () => {
    const devices = { devices: { "10403": { "1": "+998901112201", "2": "+998901112202" }, "10404": "998901112203" } };
    expect(parse(OLD_BODY, devices)).toMatchObject({ messages: [{ to: "+998901112202" }] });
    const other = JSON.stringify({ ...JSON.parse(OLD_BODY), device_id: "10404", sim: 0 });
    expect(parse(other, devices)).toMatchObject({ messages: [{ to: "+998901112203", sourceKey: "10404:98765" }] });
    const unknown = JSON.stringify({ ...JSON.parse(OLD_BODY), device_id: 10405 });
    expect(appError(() => parse(unknown, devices)).message).toContain("Device 10405");
    const noSlot = JSON.stringify({ ...JSON.parse(OLD_BODY), sim: undefined });
    expect(appError(() => parse(noSlot, devices)).code).toBe("unknown_recipient");
  });

  it("answers what is not its webhook with 400 malformed_body, and a missing sms_id with 422 invalid_id", () => {
    for (const body of ['{"address":"+1555', "[1]", "{}", '{"address":"x","body":"y","sms_id":1,"type":3}']) {
      const error = appError(() => parse(body));
      expect([error.status, error.code], body).toEqual([400, "malformed_body"]);
    }
    const noId = JSON.stringify({ ...JSON.parse(OLD_BODY), sms_id: undefined });
    expect([appError(() => parse(noId, {})).status, appError(() => parse(noId, {})).code]).toEqual([422, "invalid_id"]);
    const badDevice = JSON.stringify({ ...JSON.parse(OLD_BODY), device_id: "Pixel" });
    expect(appError(() => parse(badDevice, {})).code).toBe("malformed_body");
  });

  it("checks its config when the gateway is created", () => {
    const schema = smsgateway24.configSchema!;
    expect(schema.safeParse({ devices: { "10403": "998901112203" }, smsChannels: { "1": 1 } })).toMatchObject({
      success: true,
      data: { devices: { "10403": "+998901112203" }, smsChannels: { "1": 1 } },
    });
    expect(schema.safeParse({ smsChannels: { "1": 3 } }).success).toBe(false);
    expect(schema.safeParse({ devices: { Pixel: "+998901112203" } }).success).toBe(false);
    expect(schema.safeParse({ devices: { "10403": { "3": "+998901112203" } } }).success).toBe(false);
    expect(schema.safeParse({ timeZone: "Mars/Olympus" }).success).toBe(false);
    expect(schema.safeParse({ sims: {} }).success).toBe(false);
  });
});

describe("smsgateway24 through the pipeline (PGlite)", () => {
  const pipeline = pipelineDatabase(PUBLIC_URL, async (db) => {
    // A dual-SIM phone whose SMS channels are 1 and 2.
    await createGateway(db, { id: "sg24-1", kind: "smsgateway24", config: CHANNELS }, { apiKey: API_KEY });
    await createNumber(db, { number: "+4915112340001", gateway: "sg24-1", sim: 1 });
    await createNumber(db, { number: "+4915112340002", gateway: "sg24-1", sim: 2 });
    // A one-number phone with no config at all.
    await createGateway(db, { id: "sg24-2", kind: "smsgateway24" }, { apiKey: `${API_KEY}-2` });
    await createNumber(db, { number: "+4915112340003", gateway: "sg24-2" });
  });

  async function post(gatewayId: string, body: string, key = gatewayId === "sg24-1" ? API_KEY : `${API_KEY}-2`) {
    const request = new Request(`${PUBLIC_URL}/api/inbound/${gatewayId}?key=${key}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    const response = await pipeline.ingest(gatewayId, request);
    return { status: response.status, body: await response.json() };
  }

  it("stores the older payload (the app's sim 1) on our SIM 2 number once; the app's retry gets the same 200", async () => {
    expect(await post("sg24-1", OLD_BODY)).toEqual({ status: 200, body: { ok: true, accepted: 1, duplicates: 0 } });
    expect(await post("sg24-1", OLD_BODY)).toEqual({ status: 200, body: { ok: true, accepted: 0, duplicates: 1 } });
    const page = await pipeline.inbox("+4915112340002");
    expect(page.messages).toHaveLength(1);
    expect(page.messages[0]).toMatchObject({
      from: "+4915112345678",
      text: "Your code is 481516",
      code: "481516",
      receivedAt: "2026-11-22T10:15:00.000Z",
    });
  });

  it("stores the current payload by its SMS channel; image, WhatsApp text and status get 200 and are not stored", async () => {
    expect((await post("sg24-1", NEW_BODY)).status).toBe(200);
    for (const body of [IMAGE_BODY, WHATSAPP_BODY, STATUS_BODY]) {
      expect(await post("sg24-1", body), body).toEqual({ status: 200, body: { ok: true } });
    }
    expect((await pipeline.inbox("+4915112340002")).messages.map((m) => m.text)).toEqual([
      "Your Careem code is 4410 & it expires in 5 min",
      "Your code is 481516",
    ]);
    expect(await pipeline.inbox("+4915112340001")).toMatchObject({ messages: [] });
    const texts = (await pipeline.db.select().from(messages)).map((m) => m.text);
    expect(texts).not.toContain("hi, dinner?");
  });

  it("refuses the same SMS id with another text (409), a bad key (401) and a form body (415)", async () => {
    const changed = JSON.stringify({ ...JSON.parse(OLD_BODY), body: "Your code is 000000" });
    expect((await post("sg24-1", changed)).status).toBe(409);
    expect(await post("sg24-1", OLD_BODY, "nbx_wrong")).toMatchObject({ status: 401, body: { error: "bad_key" } });
    const form = new Request(`${PUBLIC_URL}/api/inbound/sg24-1?key=${API_KEY}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "address=a&body=b",
    });
    expect((await pipeline.ingest("sg24-1", form)).status).toBe(415);
  });

  it("one number, no config: an older payload lands there, the time from our clock when the date is unreadable", async () => {
    const before = Date.now();
    const body = JSON.stringify({ ...JSON.parse(OLD_BODY), sim: 0, date: "soon", date_sent: null });
    expect((await post("sg24-2", body)).status).toBe(200);
    const [message] = (await pipeline.inbox("+4915112340003")).messages;
    expect(message).toMatchObject({ text: "Your code is 481516" });
    expect(new Date(message!.receivedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it("keeps a channel-tagged text in the quarantine (422) until the gateway lists its SMS channels", async () => {
    const answer = await post("sg24-2", NEW_BODY);
    expect(answer).toMatchObject({ status: 422, body: { error: "unknown_recipient" } });
    const kept = (await listQuarantine(pipeline.db)).find((q) => q.gateway === "sg24-2");
    expect(kept).toMatchObject({ error: "unknown_recipient", body: NEW_BODY });
    expect(kept!.url).not.toContain(API_KEY);
    // A malformed body is a 400 with the same error shape, never a 5xx or a 2xx.
    expect(await post("sg24-2", "[]")).toMatchObject({ status: 400, body: { error: "malformed_body" } });
  });
});
