import { createHmac } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messages } from "@/db/schema";
import { createGateway } from "@/lib/admin/gateways";
import { hashKey } from "@/lib/security/secrets";
import { createNumber } from "@/lib/admin/numbers";
import type { GatewayAuth } from "../adapter";
import { listQuarantine } from "../quarantine";
import { toInboundRequest } from "../request";
import { androidSmsGateway, verifyAndroidGatewaySignature } from "./android-sms-gateway";
import { appError, pipelineDatabase } from "@/lib/testing/adapters";

// docs/ingest-sources.md §8 [S]: key, timestamp, raw body and signature.
const SIGNING_KEY = "my-signing-key";
const TIMESTAMP = "1719046000";
const BODY =
  '{"deviceId":"ffffffffceb0b1db0000018e937c815b","event":"sms:received","id":"Ey6ECgOkVVFjz3CL48B8C","payload":{"messageId":"abc123","message":"Android is always a sweet treat!","phoneNumber":"6505551212","simNumber":1,"receivedAt":"2024-06-22T15:46:11.000+07:00"},"webhookId":"LreFUt-Z3sSq0JufY9uWB"}';
const SIGNATURE = "174f2ee54acee50437b79c85cca3bcec38b66cb3dda0289febe61e76f43efeca";
const AT_VECTOR = new Date(1_719_046_000_000);

const API_KEY = "nbx_android-gateway-test-key-0123456789abcdef";
const PUBLIC_URL = "https://numbox.example";
const URL_WITH_KEY = `${PUBLIC_URL}/api/inbound/phone-1?key=${API_KEY}`;

function gateway(secrets = [SIGNING_KEY], config: Record<string, unknown> = {}): GatewayAuth {
  return { id: "phone-1", kind: "android-sms-gateway", apiKeyHashes: [hashKey(API_KEY)], secrets, config };
}

const sign = (body: string, timestamp: string, key = SIGNING_KEY) =>
  createHmac("sha256", key)
    .update(body + timestamp)
    .digest("hex");

const vectorHeaders = { "content-type": "application/json", "x-signature": SIGNATURE, "x-timestamp": TIMESTAMP };

function inbound(
  body: string | Uint8Array,
  headers: Record<string, string> = vectorHeaders,
  now = AT_VECTOR,
  url = URL_WITH_KEY,
) {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const request = new Request(url, { method: "POST", headers, body: bytes as Uint8Array<ArrayBuffer> });
  return toInboundRequest(request, bytes, PUBLIC_URL, now);
}

function event(fields: Record<string, unknown> = {}, payload: Record<string, unknown> = {}): string {
  const base = JSON.parse(BODY);
  return JSON.stringify({ ...base, ...fields, payload: { ...base.payload, ...payload } });
}

describe("android-sms-gateway signature (X-Signature over body + X-Timestamp)", () => {
  it("our signing reproduces the [S] vector", () => {
    expect(sign(BODY, TIMESTAMP)).toBe(SIGNATURE);
  });

  it("accepts the vector with the clock pinned, upper-case hex, and the previous key during a rotation", () => {
    expect(() => verifyAndroidGatewaySignature(inbound(BODY), gateway())).not.toThrow();
    expect(() =>
      verifyAndroidGatewaySignature(
        inbound(BODY, { ...vectorHeaders, "x-signature": SIGNATURE.toUpperCase() }),
        gateway(),
      ),
    ).not.toThrow();
    expect(() => verifyAndroidGatewaySignature(inbound(BODY), gateway(["new-key", SIGNING_KEY]))).not.toThrow();
  });

  it("rejects a one-byte change of body, signature or timestamp, and a wrong key (403)", () => {
    const flipped = SIGNATURE.slice(0, 10) + (SIGNATURE[10] === "0" ? "1" : "0") + SIGNATURE.slice(11);
    const cases = [
      () => verifyAndroidGatewaySignature(inbound(BODY.replace("sweet", "sweat")), gateway()),
      () => verifyAndroidGatewaySignature(inbound(BODY, { ...vectorHeaders, "x-signature": flipped }), gateway()),
      () => verifyAndroidGatewaySignature(inbound(BODY, { ...vectorHeaders, "x-timestamp": "1719046001" }), gateway()),
      () => verifyAndroidGatewaySignature(inbound(BODY), gateway(["my-signing-kez"])),
    ];
    for (const attempt of cases) {
      const error = appError(attempt);
      expect([error.status, error.code]).toEqual([403, "bad_signature"]);
    }
  });

  it("accepts ±5 min and refuses more (401 stale_request)", () => {
    for (const offset of [-300, 300]) {
      expect(() =>
        verifyAndroidGatewaySignature(
          inbound(BODY, vectorHeaders, new Date(AT_VECTOR.getTime() + offset * 1000)),
          gateway(),
        ),
      ).not.toThrow();
    }
    for (const offset of [-301, 301]) {
      const error = appError(() =>
        verifyAndroidGatewaySignature(
          inbound(BODY, vectorHeaders, new Date(AT_VECTOR.getTime() + offset * 1000)),
          gateway(),
        ),
      );
      expect([error.status, error.code]).toEqual([401, "stale_request"]);
    }
  });

  it("refuses malformed headers (400) and missing ones (401)", () => {
    for (const change of [
      { "x-signature": "xyz" },
      { "x-signature": SIGNATURE + "00" },
      { "x-timestamp": "1719046000.5" },
    ]) {
      const error = appError(() =>
        verifyAndroidGatewaySignature(inbound(BODY, { ...vectorHeaders, ...change }), gateway()),
      );
      expect([error.status, error.code], JSON.stringify(change)).toEqual([400, "malformed_signature"]);
    }
    for (const name of ["x-signature", "x-timestamp"]) {
      const headers: Record<string, string> = { ...vectorHeaders };
      delete headers[name];
      const error = appError(() => verifyAndroidGatewaySignature(inbound(BODY, headers), gateway()));
      expect([error.status, error.code], name).toEqual([401, "missing_credentials"]);
    }
  });

  it("needs the API key too: in the URL or as a bearer token", () => {
    const noKeyUrl = `${PUBLIC_URL}/api/inbound/phone-1`;
    expect(() => androidSmsGateway.authenticate(inbound(BODY), gateway())).not.toThrow();
    expect(() =>
      androidSmsGateway.authenticate(
        inbound(BODY, { ...vectorHeaders, authorization: `Bearer ${API_KEY}` }, AT_VECTOR, noKeyUrl),
        gateway(),
      ),
    ).not.toThrow();
    const missing = appError(() =>
      androidSmsGateway.authenticate(inbound(BODY, vectorHeaders, AT_VECTOR, noKeyUrl), gateway()),
    );
    expect([missing.status, missing.code]).toEqual([401, "missing_credentials"]);
    const wrong = appError(() =>
      androidSmsGateway.authenticate(inbound(BODY, vectorHeaders, AT_VECTOR, `${noKeyUrl}?key=nbx_wrong`), gateway()),
    );
    expect([wrong.status, wrong.code]).toEqual([401, "bad_key"]);
  });
});

describe("android-sms-gateway parse", () => {
  it("reads the golden sms:received event: sender as the phone shows it, our number by SIM slot", () => {
    expect(androidSmsGateway.parse(inbound(BODY), gateway())).toEqual({
      messages: [
        {
          sim: 1,
          from: "6505551212",
          text: "Android is always a sweet treat!",
          receivedAt: new Date("2024-06-22T08:46:11.000Z"),
          sourceKey: "Ey6ECgOkVVFjz3CL48B8C",
        },
      ],
    });
  });

  it("ignores the other events with 200", () => {
    for (const name of [
      "sms:sent",
      "sms:delivered",
      "sms:failed",
      "system:ping",
      "sms:data-received",
      "mms:received",
    ]) {
      expect(androidSmsGateway.parse(inbound(event({ event: name })), gateway())).toEqual({
        ignored: `android-sms-gateway event '${name}' is not an inbound SMS.`,
      });
    }
  });

  it("reads a batched sms:batch:received event, one key per message", () => {
    const body = JSON.stringify({
      deviceId: "dev",
      event: "sms:batch:received",
      id: "batch-1",
      payload: {
        messages: [
          {
            messageId: "a",
            message: "one",
            phoneNumber: "+15550001",
            simNumber: 2,
            receivedAt: "2024-06-22T15:46:11+07:00",
          },
          {
            messageId: "b",
            message: "two",
            phoneNumber: "Bank",
            simNumber: null,
            receivedAt: "2024-06-22T15:46:12+07:00",
          },
        ],
      },
    });
    expect(androidSmsGateway.parse(inbound(body), gateway())).toMatchObject({
      messages: [
        { sim: 2, from: "+15550001", text: "one", sourceKey: "batch-1:0" },
        { sim: null, from: "Bank", text: "two", sourceKey: "batch-1:1" },
      ],
    });
  });

  it("keeps Unicode exactly, a null SIM as unknown, a broken device clock as null", () => {
    const body = event(
      {},
      { message: "كود: 1234 — 🙂", simNumber: null, receivedAt: "garbage", phoneNumber: "VM-HDFCBK" },
    );
    expect(androidSmsGateway.parse(inbound(body), gateway())).toMatchObject({
      messages: [{ sim: null, from: "VM-HDFCBK", text: "كود: 1234 — 🙂", receivedAt: null }],
    });
  });

  it("checks the configured deviceId (422 unknown_recipient for another phone)", () => {
    const pinned = gateway([SIGNING_KEY], { deviceId: "ffffffffceb0b1db0000018e937c815b" });
    expect(() => androidSmsGateway.parse(inbound(BODY), pinned)).not.toThrow();
    const other = gateway([SIGNING_KEY], { deviceId: "another-device" });
    const error = appError(() => androidSmsGateway.parse(inbound(BODY), other));
    expect([error.status, error.code]).toEqual([422, "unknown_recipient"]);
  });

  it("answers broken JSON with 400, an event without id with 422", () => {
    expect(appError(() => androidSmsGateway.parse(inbound("{"), gateway())).code).toBe("malformed_body");
    expect(appError(() => androidSmsGateway.parse(inbound('{"payload":{}}'), gateway())).code).toBe("malformed_body");
    expect(appError(() => androidSmsGateway.parse(inbound(event({ id: undefined })), gateway())).code).toBe(
      "invalid_id",
    );
  });
});

describe("android-sms-gateway through the pipeline (PGlite)", () => {
  const pipeline = pipelineDatabase(PUBLIC_URL, async (db) => {
    await createGateway(
      db,
      {
        id: "phone-1",
        kind: "android-sms-gateway",
        secret: SIGNING_KEY,
        config: { deviceId: "ffffffffceb0b1db0000018e937c815b" },
      },
      { apiKey: API_KEY },
    );
    await createNumber(db, { number: "+998940373339", gateway: "phone-1", sim: 1 });
    await createNumber(db, { number: "+998940373340", gateway: "phone-1", sim: 2 });
  });

  async function post(body: string, options: { key?: string; timestamp?: number; signingKey?: string } = {}) {
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    const request = new Request(`http://192.168.1.5:3000/api/inbound/phone-1?key=${options.key ?? API_KEY}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "me.capcom.smsgateway/1.40.0",
        "x-timestamp": timestamp,
        "x-signature": sign(body, timestamp, options.signingKey),
      },
      body,
    });
    return pipeline.ingest("phone-1", request);
  }

  it("stores the golden event on SIM 1's number once; a retry (signed afresh) gets the same 200", async () => {
    const first = await post(BODY);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await first.json()).toEqual({ ok: true, accepted: 1, duplicates: 0 });
    const retry = await post(BODY);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ ok: true, accepted: 0, duplicates: 1 });

    const page = await pipeline.inbox("+998940373339");
    expect(page.messages).toHaveLength(1);
    expect(page.messages[0]).toMatchObject({
      from: "6505551212",
      text: "Android is always a sweet treat!",
      receivedAt: "2024-06-22T08:46:11.000Z",
    });
    const [row] = await pipeline.db.select().from(messages);
    expect(row).toMatchObject({ sourceKey: "Ey6ECgOkVVFjz3CL48B8C", number: "+998940373339" });
  });

  it("puts SIM 2's messages on SIM 2's number", async () => {
    const response = await post(event({ id: "sim2-event" }, { simNumber: 2, message: "to the second SIM" }));
    expect(response.status).toBe(200);
    const page = await pipeline.inbox("+998940373340");
    expect(page.messages.map((m) => m.text)).toEqual(["to the second SIM"]);
  });

  it("answers the same event id with other content 409", async () => {
    const response = await post(event({}, { message: "Android is always a sweet treat?" }));
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: "idempotency_conflict" });
  });

  it("acknowledges system:ping and sms:sent with 200 and stores nothing", async () => {
    for (const name of ["system:ping", "sms:sent"]) {
      const response = await post(
        JSON.stringify({ deviceId: "x", event: name, id: `${name}-1`, payload: {}, webhookId: "w" }),
      );
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: true });
    }
    expect(await pipeline.db.select().from(messages)).toHaveLength(2);
  });

  it("quarantines an unmapped SIM slot and another device (422)", async () => {
    const unmapped = await post(event({ id: "sim3-event" }, { simNumber: 3 }));
    expect(unmapped.status).toBe(422);
    expect(await unmapped.json()).toMatchObject({ error: "unknown_recipient" });
    const otherDevice = await post(event({ id: "other-device", deviceId: "0000" }));
    expect(otherDevice.status).toBe(422);
    const kept = await listQuarantine(pipeline.db);
    expect(kept.slice(0, 2).map((q) => q.error)).toEqual(["unknown_recipient", "unknown_recipient"]);
    expect(kept[0]!.url).toContain("key=***");
  });

  it("stores a long text exactly, and refuses a missing sender or text (422, quarantined)", async () => {
    const long = "Длинное сообщение 🙂 ".repeat(300);
    expect((await post(event({ id: "long-1" }, { message: long }))).status).toBe(200);
    const [newest] = (await pipeline.inbox("+998940373339", 1)).messages;
    expect(newest?.text).toBe(long);

    const noSender = await post(event({ id: "no-sender" }, { phoneNumber: "" }));
    expect(noSender.status).toBe(422);
    expect(await noSender.json()).toMatchObject({ error: "missing_sender" });
    const noText = await post(event({ id: "no-text" }, { message: undefined }));
    expect(noText.status).toBe(422);
    expect(await noText.json()).toMatchObject({ error: "missing_text" });
    await pipeline.db.delete(messages).where(eq(messages.sourceKey, "long-1"));
  });

  it("refuses a wrong key, a forged signature and a stale timestamp", async () => {
    expect((await post(event({ id: "x1" }), { key: "nbx_wrong" })).status).toBe(401);
    expect((await post(event({ id: "x2" }), { signingKey: "guess" })).status).toBe(403);
    expect((await post(event({ id: "x3" }), { timestamp: Math.floor(Date.now() / 1000) - 301 })).status).toBe(401);
    expect(await pipeline.db.select().from(messages)).toHaveLength(2);
  });
});
