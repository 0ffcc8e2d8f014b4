import { createHash, createHmac } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messages } from "@/db/schema";
import { createGateway } from "@/lib/admin/gateways";
import { createNumber } from "@/lib/admin/numbers";
import type { GatewayAuth } from "../adapter";
import { listQuarantine } from "../quarantine";
import { toInboundRequest } from "../request";
import { bird, verifyBirdSignature } from "./bird";
import { appError, pipelineDatabase } from "@/lib/testing/adapters";

// docs/ingest-sources.md §7b [S].
const KEY = "bird-signing-key";
const TIMESTAMP = "1719823259";
const VECTOR_URL = "https://example.com/api/sms/inbound";
const CONNECTOR = "86cc4dc0-3dc0-41b7-ac43-8ec829ead56f";
const BODY =
  '{"service":"channels","event":"sms.inbound","payload":{"id":"96a0b5fa-a986-453d-be5c-3117f989f025","channelId":"614208aa-b153-4d5d-9989-2fddfc0ce4c3","sender":{"contact":{"id":"32cf5eee-f940-422c-ab8c-5f753aad5efd","identifierKey":"phonenumber","identifierValue":"+31612345678"}},"receiver":{"connector":{"id":"86cc4dc0-3dc0-41b7-ac43-8ec829ead56f"}},"body":{"type":"text","text":{"text":"Sample incoming text message"}},"direction":"incoming","status":"delivered","createdAt":"2022-12-22T08:32:50.736Z"}}';
const SIGNATURE = "RhG+6mEpZzGSxvzK/D1bq38cBUQfREYcVX3Ak0JWctg=";
const AT_VECTOR = new Date(Number(TIMESTAMP) * 1000);

function gateway(config: Record<string, unknown> = {}, secrets: string[] = [KEY]): GatewayAuth {
  return { id: "bird-1", kind: "bird", apiKeyHashes: [], secrets, config };
}

/** Signs like Bird, written here independently of the adapter. */
function sign(url: string, body: string | Uint8Array, timestamp: string, key = KEY): Record<string, string> {
  const bodyHash = createHash("sha256").update(body).digest();
  const signature = createHmac("sha256", key)
    .update(Buffer.concat([Buffer.from(`${timestamp}\n${url}\n`), bodyHash]))
    .digest("base64");
  return {
    "content-type": "application/json",
    "messagebird-signature": signature,
    "messagebird-request-timestamp": timestamp,
  };
}

function inbound(body: string | Uint8Array, headers: Record<string, string>, now = AT_VECTOR, url = VECTOR_URL) {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const request = new Request(url, { method: "POST", headers, body: bytes as Uint8Array<ArrayBuffer> });
  return toInboundRequest(request, bytes, new URL(url).origin, now);
}

const vectorHeaders = {
  "content-type": "application/json",
  "messagebird-signature": SIGNATURE,
  "messagebird-request-timestamp": TIMESTAMP,
};

describe("bird signature (messagebird-signature over timestamp, URL and body hash)", () => {
  it("our signer reproduces the [S] vector", () => {
    expect(sign(VECTOR_URL, BODY, TIMESTAMP)["messagebird-signature"]).toBe(SIGNATURE);
  });

  it("accepts the vector on the vector's URL with the clock pinned, and the previous key during a rotation", () => {
    expect(() => verifyBirdSignature(inbound(BODY, vectorHeaders), gateway())).not.toThrow();
    expect(() => verifyBirdSignature(inbound(BODY, vectorHeaders), gateway({}, ["new-key", KEY]))).not.toThrow();
  });

  it("verifies against PUBLIC_URL, not the host the request arrived on", () => {
    const internal = new Request("http://10.0.0.7:3000/api/sms/inbound", {
      method: "POST",
      headers: vectorHeaders,
      body: BODY,
    });
    const bytes = new TextEncoder().encode(BODY);
    expect(() =>
      verifyBirdSignature(toInboundRequest(internal, bytes, "https://example.com", AT_VECTOR), gateway()),
    ).not.toThrow();
    expect(
      appError(() =>
        verifyBirdSignature(toInboundRequest(internal, bytes, "https://example.org", AT_VECTOR), gateway()),
      ),
    ).toMatchObject({
      status: 403,
    });
  });

  it("rejects a one-byte change of the body, the signature, the timestamp or the URL, and a wrong key (403)", () => {
    const body = BODY.replace("Sample", "Sampla");
    expect(appError(() => verifyBirdSignature(inbound(body, vectorHeaders), gateway()))).toMatchObject({
      status: 403,
      code: "bad_signature",
    });
    const flipped = { ...vectorHeaders, "messagebird-signature": `Q${SIGNATURE.slice(1)}` };
    expect(appError(() => verifyBirdSignature(inbound(BODY, flipped), gateway()))).toMatchObject({ status: 403 });
    const later = { ...vectorHeaders, "messagebird-request-timestamp": String(Number(TIMESTAMP) + 1) };
    expect(appError(() => verifyBirdSignature(inbound(BODY, later), gateway()))).toMatchObject({ status: 403 });
    expect(
      appError(() => verifyBirdSignature(inbound(BODY, vectorHeaders, AT_VECTOR, `${VECTOR_URL}?x=1`), gateway())),
    ).toMatchObject({ status: 403 });
    expect(appError(() => verifyBirdSignature(inbound(BODY, vectorHeaders), gateway({}, ["wrong-key"])))).toMatchObject(
      {
        status: 403,
        code: "bad_signature",
      },
    );
  });

  it("refuses a timestamp more than 5 minutes off (401 stale_request)", () => {
    const at = (s: number) => new Date((Number(TIMESTAMP) + s) * 1000);
    expect(() => verifyBirdSignature(inbound(BODY, vectorHeaders, at(300)), gateway())).not.toThrow();
    expect(appError(() => verifyBirdSignature(inbound(BODY, vectorHeaders, at(301)), gateway()))).toMatchObject({
      status: 401,
      code: "stale_request",
    });
    expect(appError(() => verifyBirdSignature(inbound(BODY, vectorHeaders, at(-301)), gateway()))).toMatchObject({
      status: 401,
    });
  });

  it("answers missing headers 401 and malformed ones 400", () => {
    const noSignature = { "content-type": "application/json", "messagebird-request-timestamp": TIMESTAMP };
    expect(appError(() => verifyBirdSignature(inbound(BODY, noSignature), gateway()))).toMatchObject({
      status: 401,
      code: "missing_credentials",
    });
    const noTimestamp = { "content-type": "application/json", "messagebird-signature": SIGNATURE };
    expect(appError(() => verifyBirdSignature(inbound(BODY, noTimestamp), gateway()))).toMatchObject({ status: 401 });
    for (const headers of [
      { ...vectorHeaders, "messagebird-signature": "not base64!" },
      { ...vectorHeaders, "messagebird-signature": Buffer.alloc(20).toString("base64") },
      { ...vectorHeaders, "messagebird-request-timestamp": "2024-07-01T10:00:59Z" },
    ]) {
      expect(appError(() => verifyBirdSignature(inbound(BODY, headers), gateway()))).toMatchObject({
        status: 400,
        code: "malformed_signature",
      });
    }
  });
});

describe("bird parse", () => {
  const parse = (body: string, config: Record<string, unknown> = {}) =>
    bird.parse(inbound(body, vectorHeaders), gateway(config));
  const canonical = {
    from: "+31612345678",
    text: "Sample incoming text message",
    receivedAt: new Date("2022-12-22T08:32:50.736Z"),
    sourceKey: "96a0b5fa-a986-453d-be5c-3117f989f025",
    segments: null,
  };

  it("reads the golden sms.inbound event; the connector maps to our number through the config", () => {
    expect(parse(BODY)).toEqual({ messages: [{ to: undefined, ...canonical }] });
    expect(parse(BODY, { connectors: { [CONNECTOR]: "+31612345679" } })).toEqual({
      messages: [{ to: "+31612345679", ...canonical }],
    });
  });

  it("refuses a connector missing from a configured mapping (422 unknown_recipient)", () => {
    expect(appError(() => parse(BODY, { connectors: { other: "+31612345679" } }))).toMatchObject({
      status: 422,
      code: "unknown_recipient",
    });
  });

  it("ignores other events and non-text bodies (200, nothing stored)", () => {
    expect(parse(BODY.replace('"sms.inbound"', '"sms.outbound"'))).toEqual({
      ignored: expect.stringContaining("sms.outbound"),
    });
    expect(parse('{"service":"channels","event":"sms.outbound"}')).toEqual({ ignored: expect.any(String) });
    expect(parse(BODY.replace('"type":"text"', '"type":"image"'))).toEqual({
      ignored: expect.stringContaining("image"),
    });
  });

  it("keeps exact Unicode, part counts and an unreadable time as no time", () => {
    const body = BODY.replace("Sample incoming text message", "Код 🔐 4821 \\n مرحبا")
      .replace("2022-12-22T08:32:50.736Z", "later")
      .replace('"direction"', '"parts":[{"platformReference":"a"},{"platformReference":"b"}],"direction"');
    expect(parse(body)).toMatchObject({ messages: [{ text: "Код 🔐 4821 \n مرحبا", receivedAt: null, segments: 2 }] });
  });

  it("answers broken JSON 400, bad UTF-8 400 invalid_utf8, sms.inbound without a payload 400", () => {
    expect(appError(() => parse("{"))).toMatchObject({ status: 400, code: "malformed_body" });
    expect(appError(() => parse('{"event":"sms.inbound"}'))).toMatchObject({ status: 400, code: "malformed_body" });
    const bytes = new TextEncoder().encode(BODY);
    bytes[bytes.indexOf("S".charCodeAt(0), 300)] = 0xff;
    expect(appError(() => bird.parse(inbound(bytes, vectorHeaders), gateway()))).toMatchObject({
      status: 400,
      code: "invalid_utf8",
    });
  });

  it("checks the connector mapping when the gateway is created", () => {
    expect(bird.configSchema!.safeParse({ connectors: { [CONNECTOR]: "+31612345678" } }).success).toBe(true);
    expect(bird.configSchema!.safeParse({ connectors: { [CONNECTOR]: "31612345678" } }).success).toBe(false);
    expect(bird.configSchema!.safeParse({ connector: {} }).success).toBe(false);
  });
});

describe("bird through the pipeline (PGlite)", () => {
  const PUBLIC_URL = "https://numbox.example";
  const ONLY = "+31612345670";
  const MAPPED = "+31612345671";

  const pipeline = pipelineDatabase(PUBLIC_URL, async (db) => {
    await createGateway(db, { id: "bird-1", kind: "bird", secret: KEY });
    await createNumber(db, { number: ONLY, gateway: "bird-1" });
    await createGateway(db, {
      id: "bird-2",
      kind: "bird",
      secret: KEY,
      config: { connectors: { [CONNECTOR]: MAPPED, other: "+31612345672" } },
    });
    await createNumber(db, { number: MAPPED, gateway: "bird-2" });
    await createNumber(db, { number: "+31612345672", gateway: "bird-2" });
  });

  async function post(gatewayId: string, body: string, headers?: Record<string, string>): Promise<Response> {
    const now = String(Math.floor(Date.now() / 1000));
    const request = new Request(`http://10.0.0.7:3000/api/inbound/${gatewayId}`, {
      method: "POST",
      headers: headers ?? sign(`${PUBLIC_URL}/api/inbound/${gatewayId}`, body, now),
      body,
    });
    return pipeline.ingest(gatewayId, request);
  }

  it("stores the golden event once on the gateway's only number, answers 200 JSON, and 200 to a retry", async () => {
    const first = await post("bird-1", BODY);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await first.json()).toEqual({ ok: true, accepted: 1, duplicates: 0 });
    const retry = await post("bird-1", BODY);
    expect(await retry.json()).toEqual({ ok: true, accepted: 0, duplicates: 1 });

    const page = await pipeline.inbox(ONLY);
    expect(page.messages).toHaveLength(1);
    expect(page.messages[0]).toMatchObject({
      number: ONLY,
      from: "+31612345678",
      text: "Sample incoming text message",
      receivedAt: "2022-12-22T08:32:50.736Z",
    });
    const [row] = await pipeline.db
      .select()
      .from(messages)
      .where(eq(messages.sourceKey, "96a0b5fa-a986-453d-be5c-3117f989f025"));
    expect(row).toMatchObject({ gatewayId: "bird-1" });
  });

  it("answers the same payload.id with other content 409", async () => {
    const body = BODY.replace("Sample incoming", "Another incoming");
    const response = await post("bird-1", body);
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: "idempotency_conflict" });
  });

  it("puts the message on the number its connector maps to", async () => {
    expect((await post("bird-2", BODY)).status).toBe(200);
    expect((await pipeline.inbox(MAPPED)).messages).toMatchObject([{ text: "Sample incoming text message" }]);
    expect((await pipeline.inbox("+31612345672")).messages).toEqual([]);
  });

  it("acknowledges another event with 200 and stores nothing; refuses forgeries and stale requests", async () => {
    const outbound = BODY.replace('"sms.inbound"', '"sms.outbound"').replace("96a0b5fa", "00000000");
    const ignored = await post("bird-1", outbound);
    expect(ignored.status).toBe(200);
    expect(await ignored.json()).toEqual({ ok: true });

    const forged = BODY.replace("96a0b5fa", "11111111");
    const now = String(Math.floor(Date.now() / 1000));
    expect((await post("bird-1", forged, sign(`${PUBLIC_URL}/api/inbound/bird-1`, BODY, now))).status).toBe(403);
    const stale = String(Math.floor(Date.now() / 1000) - 3600);
    expect((await post("bird-1", forged, sign(`${PUBLIC_URL}/api/inbound/bird-1`, forged, stale))).status).toBe(401);
    expect((await post("bird-1", forged, { "content-type": "application/json" })).status).toBe(401);
    expect(
      (
        await post("bird-1", "<x/>", {
          ...sign(`${PUBLIC_URL}/api/inbound/bird-1`, "<x/>", now),
          "content-type": "text/xml",
        })
      ).status,
    ).toBe(415);
    expect((await pipeline.inbox(ONLY)).messages).toHaveLength(1);
  });

  it("quarantines an authenticated event from an unmapped connector (422 unknown_recipient)", async () => {
    const body = BODY.replace(CONNECTOR, "99999999-0000-4000-8000-000000000000").replace("96a0b5fa", "22222222");
    const response = await post("bird-2", body);
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: "unknown_recipient" });
    const [kept] = await listQuarantine(pipeline.db);
    expect(kept).toMatchObject({ gateway: "bird-2", error: "unknown_recipient", body });
  });
});
