import { createHash, createPrivateKey, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { messages } from "@/db/schema";
import { createGateway } from "@/lib/admin/gateways";
import { createNumber } from "@/lib/admin/numbers";
import type { GatewayAuth } from "../adapter";
import { toInboundRequest } from "../request";
import { listQuarantine } from "../quarantine";
import { publicKeyOf, telnyx, verifyTelnyxSignature } from "./telnyx";
import { appError, pipelineDatabase } from "@/lib/testing/adapters";

// docs/ingest-sources.md §3 [S]: RFC 8032 test 1 key pair, accepted by telnyx@7.24.0 with the clock pinned.
const SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
const PUBLIC_KEY = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
const TIMESTAMP = "1700000000";
const BODY =
  '{"data":{"event_type":"message.received","id":"b301ed3f-1490-491f-995f-6e64e69674d4","occurred_at":"2023-11-14T22:13:20.000+00:00","payload":{"direction":"inbound","encoding":"GSM-7","from":{"carrier":"T-Mobile USA","line_type":"Wireless","phone_number":"+13125550001"},"id":"84cca175-9755-4859-b67f-4730d7f58aa3","media":[],"messaging_profile_id":"740572b6-099c-44a1-89b9-6c92163bc68d","parts":1,"received_at":"2023-11-14T22:13:19.873+00:00","record_type":"message","text":"Hello from Telnyx","to":[{"carrier":"Telnyx","line_type":"VoIP","phone_number":"+17735550002","status":"webhook_delivered"}],"type":"SMS"},"record_type":"event"},"meta":{"attempt":1,"delivered_to":"https://example.com/api/sms/inbound"}}';
const BODY_SHA256 = "7895eee54bc88f4384fcc35d8eaf2c3c55577a5a21b53c7a737278f86958f232";
const SIGNATURE = "gFD50uM24vu74yDkX3kBwMqtQYucUQV0rm3j341nNT3nDjd+qBhYj1wW8IGe4EhN/aOWSGjjOEteCnkbA9XxBg==";
const VECTOR_URL = "https://example.com/api/sms/inbound";
const AT_VECTOR = new Date(1_700_000_000_000);

// A second key (RFC 8032 test 2) stands for "another account's key".
const OTHER_PUBLIC_KEY = Buffer.from(
  "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
  "hex",
).toString("base64");

const privateKey = createPrivateKey({
  key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), Buffer.from(SEED, "hex")]),
  format: "der",
  type: "pkcs8",
});

function gateway(secrets: string[] = [PUBLIC_KEY]): GatewayAuth {
  return { id: "telnyx-1", kind: "telnyx", apiKeyHashes: [], secrets, config: {} };
}

function signed(body: string, timestamp: string): Record<string, string> {
  const signature = sign(null, Buffer.from(`${timestamp}|${body}`), privateKey).toString("base64");
  return { "content-type": "application/json", "telnyx-timestamp": timestamp, "telnyx-signature-ed25519": signature };
}

function inbound(body: string | Uint8Array, headers: Record<string, string>, now = AT_VECTOR) {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const request = new Request(VECTOR_URL, { method: "POST", headers, body: bytes as Uint8Array<ArrayBuffer> });
  return toInboundRequest(request, bytes, new URL(VECTOR_URL).origin, now);
}

const vectorHeaders = {
  "content-type": "application/json",
  "telnyx-timestamp": TIMESTAMP,
  "telnyx-signature-ed25519": SIGNATURE,
};

describe("telnyx signature (Ed25519 over timestamp|body)", () => {
  it("the vector body is the published one", () => {
    expect(BODY.length).toBe(711);
    expect(createHash("sha256").update(BODY).digest("hex")).toBe(BODY_SHA256);
  });

  it("our signing key is the published public key, and signs the vector identically", () => {
    expect(signed(BODY, TIMESTAMP)["telnyx-signature-ed25519"]).toBe(SIGNATURE);
    expect(publicKeyOf(PUBLIC_KEY)).not.toBeNull();
  });

  it("accepts the [S] vector with the clock pinned", () => {
    expect(() => verifyTelnyxSignature(inbound(BODY, vectorHeaders), gateway())).not.toThrow();
  });

  it("accepts the previous key during a rotation (either of two secrets)", () => {
    expect(() =>
      verifyTelnyxSignature(inbound(BODY, vectorHeaders), gateway([OTHER_PUBLIC_KEY, PUBLIC_KEY])),
    ).not.toThrow();
  });

  it("rejects a one-byte change of the body (403)", () => {
    const tampered = BODY.replace("Hello from Telnyx", "Hello from Telnyz");
    const error = appError(() => verifyTelnyxSignature(inbound(tampered, vectorHeaders), gateway()));
    expect([error.status, error.code]).toEqual([403, "bad_signature"]);
  });

  it("rejects a one-byte change of the signature (403)", () => {
    const bytes = Buffer.from(SIGNATURE, "base64");
    bytes[10] = bytes[10]! ^ 0x01;
    const error = appError(() =>
      verifyTelnyxSignature(
        inbound(BODY, { ...vectorHeaders, "telnyx-signature-ed25519": bytes.toString("base64") }),
        gateway(),
      ),
    );
    expect([error.status, error.code]).toEqual([403, "bad_signature"]);
  });

  it("rejects a changed timestamp even inside the window (it is signed)", () => {
    const error = appError(() =>
      verifyTelnyxSignature(inbound(BODY, { ...vectorHeaders, "telnyx-timestamp": "1700000001" }), gateway()),
    );
    expect([error.status, error.code]).toEqual([403, "bad_signature"]);
  });

  it("rejects a wrong key (403)", () => {
    const error = appError(() => verifyTelnyxSignature(inbound(BODY, vectorHeaders), gateway([OTHER_PUBLIC_KEY])));
    expect([error.status, error.code]).toEqual([403, "bad_signature"]);
  });

  it("says so when the gateway's secret is not a Telnyx public key at all", () => {
    const error = appError(() => verifyTelnyxSignature(inbound(BODY, vectorHeaders), gateway(["not-a-key"])));
    expect([error.status, error.code]).toEqual([403, "bad_signature"]);
    expect(error.detail).toContain("public key");
  });

  it("accepts ±300 s and refuses 301 s either way (401 stale_request)", () => {
    for (const offset of [-300, 300]) {
      const now = new Date(AT_VECTOR.getTime() + offset * 1000);
      expect(() => verifyTelnyxSignature(inbound(BODY, vectorHeaders, now), gateway())).not.toThrow();
    }
    for (const offset of [-301, 301]) {
      const now = new Date(AT_VECTOR.getTime() + offset * 1000);
      const error = appError(() => verifyTelnyxSignature(inbound(BODY, vectorHeaders, now), gateway()));
      expect([error.status, error.code]).toEqual([401, "stale_request"]);
    }
  });

  it("refuses malformed headers with 400 malformed_signature", () => {
    const cases: Record<string, string>[] = [
      { "telnyx-signature-ed25519": "not base64!" },
      { "telnyx-signature-ed25519": Buffer.alloc(63).toString("base64") },
      { "telnyx-signature-ed25519": Buffer.alloc(65).toString("base64") },
      { "telnyx-timestamp": "17000000x0" },
      { "telnyx-timestamp": "2023-11-14T22:13:20Z" },
    ];
    for (const change of cases) {
      const error = appError(() => verifyTelnyxSignature(inbound(BODY, { ...vectorHeaders, ...change }), gateway()));
      expect([error.status, error.code], JSON.stringify(change)).toEqual([400, "malformed_signature"]);
    }
  });

  it("refuses a request without the headers with 401 missing_credentials", () => {
    for (const name of ["telnyx-signature-ed25519", "telnyx-timestamp"]) {
      const headers: Record<string, string> = { ...vectorHeaders };
      delete headers[name];
      const error = appError(() => verifyTelnyxSignature(inbound(BODY, headers), gateway()));
      expect([error.status, error.code], name).toEqual([401, "missing_credentials"]);
    }
  });
});

describe("telnyx parse", () => {
  it("reads the golden message.received event", () => {
    expect(telnyx.parse(inbound(BODY, vectorHeaders), gateway())).toEqual({
      messages: [
        {
          to: "+17735550002",
          from: "+13125550001",
          text: "Hello from Telnyx",
          receivedAt: new Date("2023-11-14T22:13:19.873Z"),
          sourceKey: "84cca175-9755-4859-b67f-4730d7f58aa3",
          segments: 1,
        },
      ],
    });
  });

  it("ignores message.sent and message.finalized (200, nothing stored)", () => {
    for (const type of ["message.sent", "message.finalized"]) {
      const body = BODY.replace('"message.received"', JSON.stringify(type));
      expect(telnyx.parse(inbound(body, vectorHeaders), gateway())).toEqual({
        ignored: `Telnyx event '${type}' is not an inbound message.`,
      });
    }
  });

  it("keeps exact Unicode text, alphanumeric senders, extra keys, an unreadable time", () => {
    const event = JSON.parse(BODY);
    event.data.payload.text = "Код 12345 — 验证码 🙂 €[]{}~ \u200f";
    event.data.payload.from.phone_number = "VM-HDFCBK";
    event.data.payload.received_at = "yesterday";
    event.data.payload.some_new_key = { nested: true };
    event.data.payload.parts = 3;
    const [m] = (telnyx.parse(inbound(JSON.stringify(event), vectorHeaders), gateway()) as { messages: unknown[] })
      .messages;
    expect(m).toMatchObject({
      from: "VM-HDFCBK",
      text: "Код 12345 — 验证码 🙂 €[]{}~ \u200f",
      receivedAt: null,
      segments: 3,
    });
  });

  it("gives an MMS with only media an empty text, not a missing one", () => {
    const event = JSON.parse(BODY);
    event.data.payload.type = "MMS";
    event.data.payload.text = null;
    event.data.payload.media = [{ url: "https://example.com/a.jpg", content_type: "image/jpeg" }];
    const [m] = (
      telnyx.parse(inbound(JSON.stringify(event), vectorHeaders), gateway()) as { messages: { text: unknown }[] }
    ).messages;
    expect(m?.text).toBe("");
  });

  it("answers broken JSON with 400 malformed_body, bad UTF-8 with 400 invalid_utf8, a non-event with 400", () => {
    expect(appError(() => telnyx.parse(inbound('{"data":', vectorHeaders), gateway())).code).toBe("malformed_body");
    expect(
      appError(() => telnyx.parse(inbound(new Uint8Array([0x7b, 0xff, 0x7d]), vectorHeaders), gateway())).code,
    ).toBe("invalid_utf8");
    expect(
      appError(() => telnyx.parse(inbound('{"event_type":"message.received"}', vectorHeaders), gateway())).code,
    ).toBe("malformed_body");
  });
});

describe("telnyx through the pipeline (PGlite)", () => {
  const PUBLIC_URL = "https://numbox.example";

  const pipeline = pipelineDatabase(PUBLIC_URL, async (db) => {
    await createGateway(db, { id: "telnyx-1", kind: "telnyx", secret: PUBLIC_KEY });
    await createNumber(db, { number: "+17735550002", gateway: "telnyx-1" });
  });

  async function post(body: string, headers: Record<string, string>): Promise<Response> {
    // The Host the request arrives on is not what is verified: the signature covers body and timestamp only.
    const request = new Request("http://10.0.0.7:3000/api/inbound/telnyx-1", { method: "POST", headers, body });
    return pipeline.ingest("telnyx-1", request);
  }
  const now = () => String(Math.floor(Date.now() / 1000));

  it("stores the golden event once, answers 200 JSON, and the same 200 to a retry", async () => {
    const first = await post(BODY, signed(BODY, now()));
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await first.json()).toEqual({ ok: true, accepted: 1, duplicates: 0 });

    // Telnyx signs every attempt afresh.
    const retry = await post(BODY, signed(BODY, now()));
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ ok: true, accepted: 0, duplicates: 1 });

    const page = await pipeline.inbox("+17735550002");
    expect(page.messages).toHaveLength(1);
    expect(page.messages[0]).toMatchObject({
      number: "+17735550002",
      from: "+13125550001",
      text: "Hello from Telnyx",
      receivedAt: "2023-11-14T22:13:19.873Z",
    });
    const [row] = await pipeline.db.select().from(messages);
    expect(row).toMatchObject({
      sourceKey: "84cca175-9755-4859-b67f-4730d7f58aa3",
      segments: 1,
      gatewayId: "telnyx-1",
    });
  });

  it("answers the same id with other content 409 idempotency_conflict", async () => {
    const body = BODY.replace("Hello from Telnyx", "Hello from Telnyx!");
    const response = await post(body, signed(body, now()));
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: "idempotency_conflict" });
  });

  it("acknowledges message.finalized with 200 and stores nothing", async () => {
    const body = BODY.replace('"message.received"', '"message.finalized"').replace("84cca175", "00000000");
    const response = await post(body, signed(body, now()));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(await pipeline.db.select().from(messages)).toHaveLength(1);
  });

  it("refuses forgeries and stale or unsigned requests before storing anything", async () => {
    const forged = BODY.replace("84cca175", "11111111");
    expect((await post(forged, signed(BODY, now()))).status).toBe(403);
    expect((await post(BODY, signed(BODY, String(Math.floor(Date.now() / 1000) - 301)))).status).toBe(401);
    expect((await post(BODY, { "content-type": "application/json" })).status).toBe(401);
    expect(await pipeline.db.select().from(messages)).toHaveLength(1);
  });

  it("refuses GET (405 with Allow) and a body over the limit (413)", async () => {
    const get = await pipeline.ingest("telnyx-1", new Request("http://10.0.0.7:3000/api/inbound/telnyx-1"));
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    const huge = JSON.stringify({ data: { event_type: "message.received", payload: { text: "x".repeat(262_144) } } });
    expect((await post(huge, signed(huge, now()))).status).toBe(413);
  });

  it("refuses another content type with 415 and quarantines an unknown recipient with 422", async () => {
    const xml = await post("<x/>", { ...signed("<x/>", now()), "content-type": "text/xml" });
    expect(xml.status).toBe(415);
    const body = BODY.replace("+17735550002", "+17735550999").replace("84cca175", "22222222");
    const response = await post(body, signed(body, now()));
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: "unknown_recipient" });
    const [kept] = await listQuarantine(pipeline.db);
    expect(kept).toMatchObject({ gateway: "telnyx-1", error: "unknown_recipient", body });
  });
});
