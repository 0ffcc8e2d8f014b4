import { createHash, createHmac } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messages } from "@/db/schema";
import { createGateway } from "@/lib/admin/gateways";
import { createNumber } from "@/lib/admin/numbers";
import type { GatewayAuth } from "../adapter";
import { listQuarantine } from "../quarantine";
import { toInboundRequest } from "../request";
import { verifyVonageJwt, vonageMessages } from "./vonage-messages";
import { appError, pipelineDatabase } from "@/lib/testing/adapters";

// docs/ingest-sources.md §2b [S], accepted by @vonage/jwt verifySignature.
const SECRET = "vonage_signature_secret_32_bytes_min!";
const BODY =
  '{"channel":"sms","message_uuid":"aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab","to":"447700900000","from":"447700900001","timestamp":"2025-02-03T12:14:25Z","text":"Hello From Vonage!","sms":{"num_messages":"1"},"usage":{"currency":"EUR","price":"0.0333"},"message_type":"text"}';
const BODY_SHA256 = "2238fb3e8b5676e0fe9178dacef105d4476fbac2c5a092d89d52cc34a388d94c";
const JWT =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE3Mzg1ODQ4NjUsImp0aSI6IjExMTExMTExLTIyMjItNDMzMy04NDQ0LTU1NTU1NTU1NTU1NSIsImlzcyI6IlZvbmFnZSIsInBheWxvYWRfaGFzaCI6IjIyMzhmYjNlOGI1Njc2ZTBmZTkxNzhkYWNlZjEwNWQ0NDc2ZmJhYzJjNWEwOTJkODlkNTJjYzM0YTM4OGQ5NGMiLCJhcGlfa2V5IjoiYWJjZDEyMzQiLCJhcHBsaWNhdGlvbl9pZCI6ImFhYWFhYWFhLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMCJ9.MMpAsoCXgjZTR9_yFP2geEUG6NRPdbFWkEy3o6l3Ps4";
const IAT = 1_738_584_865;
const AT_VECTOR = new Date(IAT * 1000);
const URL_BASE = "https://numbox.example/api/inbound/vonage-messages-1";

function gateway(secrets: string[] = [SECRET]): GatewayAuth {
  return { id: "vonage-messages-1", kind: "vonage-messages", apiKeyHashes: [], secrets, config: {} };
}

/** Signs like Vonage: HS256 over base64url(header).base64url(claims), written here independently of the adapter. */
function jwt(
  claims: Record<string, unknown>,
  secret = SECRET,
  header: Record<string, unknown> = { alg: "HS256", typ: "JWT" },
): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const signed = `${part(header)}.${part(claims)}`;
  return `${signed}.${createHmac("sha256", secret).update(signed).digest("base64url")}`;
}

function claimsFor(body: string, iat = Math.floor(Date.now() / 1000)) {
  return {
    iat,
    jti: `jti-${Math.random()}`,
    iss: "Vonage",
    payload_hash: createHash("sha256").update(body).digest("hex"),
    api_key: "abcd1234",
    application_id: "aaaaaaaa-0000-4000-8000-000000000000",
  };
}

function inbound(body: string | Uint8Array, authorization: string | null, now = AT_VECTOR) {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (authorization !== null) headers.authorization = authorization;
  const request = new Request(URL_BASE, { method: "POST", headers, body: bytes as Uint8Array<ArrayBuffer> });
  return toInboundRequest(request, bytes, new URL(URL_BASE).origin, now);
}

describe("vonage-messages signature (JWT HS256 + payload_hash + iat)", () => {
  it("the vector body hashes to the published payload_hash, and our signer reproduces the token", () => {
    expect(createHash("sha256").update(BODY).digest("hex")).toBe(BODY_SHA256);
    const claims = JSON.parse(Buffer.from(JWT.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    expect(jwt(claims)).toBe(JWT);
  });

  it("accepts the [S] vector with the clock pinned, and with the previous secret during a rotation", () => {
    expect(() => verifyVonageJwt(inbound(BODY, `Bearer ${JWT}`), gateway())).not.toThrow();
    expect(() => verifyVonageJwt(inbound(BODY, `bearer ${JWT}`), gateway(["new-secret", SECRET]))).not.toThrow();
  });

  it("rejects a one-byte change of the body (403 payload_hash_mismatch)", () => {
    const body = BODY.replace("Hello From Vonage!", "Hello From Vonage?");
    expect(appError(() => verifyVonageJwt(inbound(body, `Bearer ${JWT}`), gateway()))).toMatchObject({
      status: 403,
      code: "payload_hash_mismatch",
    });
  });

  it("rejects a one-byte change of the signature or claims, and a wrong secret (403 bad_signature)", () => {
    const flipped = `${JWT.slice(0, -2)}${JWT.at(-2) === "A" ? "B" : "A"}${JWT.at(-1)}`;
    expect(appError(() => verifyVonageJwt(inbound(BODY, `Bearer ${flipped}`), gateway()))).toMatchObject({
      status: 403,
      code: "bad_signature",
    });
    const [h, c, s] = JWT.split(".") as [string, string, string];
    const claims = Buffer.from(c, "base64url").toString().replace('"iat":1738584865', '"iat":1738584866');
    const otherClaims = `${h}.${Buffer.from(claims).toString("base64url")}.${s}`;
    expect(appError(() => verifyVonageJwt(inbound(BODY, `Bearer ${otherClaims}`), gateway()))).toMatchObject({
      status: 403,
    });
    expect(appError(() => verifyVonageJwt(inbound(BODY, `Bearer ${JWT}`), gateway(["wrong-secret"])))).toMatchObject({
      status: 403,
      code: "bad_signature",
    });
  });

  it("refuses alg none and RS256 (403)", () => {
    const none = jwt(claimsFor(BODY, IAT), SECRET, { alg: "none", typ: "JWT" }).split(".").slice(0, 2).join(".") + ".";
    expect(appError(() => verifyVonageJwt(inbound(BODY, `Bearer ${none}`), gateway()))).toMatchObject({
      status: 403,
      code: "bad_signature",
    });
    const rs = jwt(claimsFor(BODY, IAT), SECRET, { alg: "RS256", typ: "JWT" });
    expect(appError(() => verifyVonageJwt(inbound(BODY, `Bearer ${rs}`), gateway()))).toMatchObject({ status: 403 });
  });

  it("refuses an iat more than 5 minutes off (401 stale_request)", () => {
    expect(() =>
      verifyVonageJwt(inbound(BODY, `Bearer ${JWT}`, new Date((IAT + 300) * 1000)), gateway()),
    ).not.toThrow();
    for (const offset of [301, -301]) {
      expect(
        appError(() => verifyVonageJwt(inbound(BODY, `Bearer ${JWT}`, new Date((IAT + offset) * 1000)), gateway())),
      ).toMatchObject({
        status: 401,
        code: "stale_request",
      });
    }
  });

  it("answers malformed tokens with 400 and a missing one with 503, so that Vonage retries it signed", () => {
    for (const token of ["abc", "a.b", "a.b.c.d", "!!.??.##", `${Buffer.from("nope").toString("base64url")}.e30.x`]) {
      expect(appError(() => verifyVonageJwt(inbound(BODY, `Bearer ${token}`), gateway()))).toMatchObject({
        status: 400,
        code: "malformed_signature",
      });
    }
    expect(appError(() => verifyVonageJwt(inbound(BODY, `Basic dXNlcjpwYXNz`), gateway()))).toMatchObject({
      status: 400,
    });
    const noIat = jwt({ ...claimsFor(BODY), iat: undefined });
    expect(appError(() => verifyVonageJwt(inbound(BODY, `Bearer ${noIat}`), gateway()))).toMatchObject({ status: 400 });
    const noHash = jwt({ ...claimsFor(BODY, IAT), payload_hash: undefined });
    expect(appError(() => verifyVonageJwt(inbound(BODY, `Bearer ${noHash}`), gateway()))).toMatchObject({
      status: 403,
      code: "payload_hash_mismatch",
    });
    const unsigned = appError(() => verifyVonageJwt(inbound(BODY, null), gateway()));
    expect(unsigned).toMatchObject({ status: 503, code: "unsigned_callback", headers: { "Retry-After": "5" } });
  });
});

describe("vonage-messages parse", () => {
  const parse = (body: string) => vonageMessages.parse(inbound(body, null), gateway());

  it("reads the golden v1 (flat) webhook", () => {
    expect(parse(BODY)).toEqual({
      messages: [
        {
          to: "447700900000",
          from: "+447700900001",
          text: "Hello From Vonage!",
          receivedAt: new Date("2025-02-03T12:14:25Z"),
          sourceKey: "aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab",
          segments: 1,
        },
      ],
    });
  });

  it("reads the older nested (olympus) shape", () => {
    const olympus = JSON.stringify({
      message_uuid: "bbbbbbbb-bbbb-4ccc-8ddd-0123456789ab",
      to: { type: "sms", number: "447700900000" },
      from: { type: "sms", number: "447700900001" },
      timestamp: "2020-01-01T14:00:00.000Z",
      message: { content: { type: "text", text: "Hello from olympus 🌍" }, sms: { num_messages: "2" } },
    });
    expect(parse(olympus)).toEqual({
      messages: [
        {
          to: "447700900000",
          from: "+447700900001",
          text: "Hello from olympus 🌍",
          receivedAt: new Date("2020-01-01T14:00:00Z"),
          sourceKey: "bbbbbbbb-bbbb-4ccc-8ddd-0123456789ab",
          segments: 2,
        },
      ],
    });
  });

  it("keeps alphanumeric senders and short codes as sent; an unreadable timestamp is no time", () => {
    const alpha = parse(
      BODY.replace('"from":"447700900001"', '"from":"VONAGE"').replace("2025-02-03T12:14:25Z", "soon"),
    );
    expect(alpha).toMatchObject({ messages: [{ from: "VONAGE", receivedAt: null }] });
    expect(parse(BODY.replace('"from":"447700900001"', '"from":"32665"'))).toMatchObject({
      messages: [{ from: "32665" }],
    });
  });

  it("ignores other channels, other message types and status updates (200, nothing stored)", () => {
    expect(parse(BODY.replace('"channel":"sms"', '"channel":"whatsapp"'))).toEqual({
      ignored: expect.stringContaining("whatsapp"),
    });
    expect(parse(BODY.replace('"message_type":"text"', '"message_type":"image"'))).toEqual({
      ignored: expect.stringContaining("image"),
    });
    const status =
      '{"message_uuid":"aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab","to":"447700900001","from":"447700900000","timestamp":"2025-02-03T12:14:25Z","status":"delivered","channel":"sms"}';
    expect(parse(status)).toEqual({ ignored: expect.stringContaining("status") });
    const mms = JSON.stringify({
      message_uuid: "x",
      to: { type: "mms", number: "1" },
      from: { type: "mms", number: "2" },
      message: { content: { type: "image" } },
    });
    expect(parse(mms)).toEqual({ ignored: expect.stringContaining("mms") });
  });

  it("answers broken JSON 400 malformed_body, bad UTF-8 400 invalid_utf8, a non-object 400", () => {
    expect(appError(() => parse("{"))).toMatchObject({ status: 400, code: "malformed_body" });
    expect(appError(() => parse("[1]"))).toMatchObject({ status: 400, code: "malformed_body" });
    const bytes = new TextEncoder().encode(BODY);
    bytes[bytes.indexOf("!".charCodeAt(0))] = 0xff;
    expect(appError(() => vonageMessages.parse(inbound(bytes, null), gateway()))).toMatchObject({
      status: 400,
      code: "invalid_utf8",
    });
  });
});

describe("vonage-messages through the pipeline (PGlite)", () => {
  const PUBLIC_URL = "https://numbox.example";
  const NUMBER = "+447911123457";
  const GOLDEN = BODY.replace('"to":"447700900000"', `"to":"${NUMBER.slice(1)}"`);

  const pipeline = pipelineDatabase(PUBLIC_URL, async (db) => {
    await createGateway(db, { id: "vonage-messages-1", kind: "vonage-messages", secret: SECRET });
    await createNumber(db, { number: NUMBER, gateway: "vonage-messages-1" });
  });

  async function send(body: string, authorization: string | null, contentType = "application/json"): Promise<Response> {
    const headers: Record<string, string> = { "content-type": contentType };
    if (authorization) headers.authorization = authorization;
    const request = new Request("http://10.0.0.7:3000/api/inbound/vonage-messages-1", {
      method: "POST",
      headers,
      body,
    });
    return pipeline.ingest("vonage-messages-1", request);
  }
  const signed = (body: string) => `Bearer ${jwt(claimsFor(body))}`;

  it("stores the golden webhook once, answers 200 JSON, and the same 200 to a retry", async () => {
    const first = await send(GOLDEN, signed(GOLDEN));
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await first.json()).toEqual({ ok: true, accepted: 1, duplicates: 0 });
    const retry = await send(GOLDEN, signed(GOLDEN));
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ ok: true, accepted: 0, duplicates: 1 });

    const page = await pipeline.inbox(NUMBER);
    expect(page.messages).toHaveLength(1);
    expect(page.messages[0]).toMatchObject({
      number: NUMBER,
      from: "+447700900001",
      text: "Hello From Vonage!",
      receivedAt: "2025-02-03T12:14:25.000Z",
    });
    const [row] = await pipeline.db
      .select()
      .from(messages)
      .where(eq(messages.sourceKey, "aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab"));
    expect(row).toMatchObject({ gatewayId: "vonage-messages-1", segments: 1 });
  });

  it("answers the same message_uuid with other content 409", async () => {
    const body = GOLDEN.replace("Hello From Vonage!", "Hello From Vonage?");
    const response = await send(body, signed(body));
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: "idempotency_conflict" });
  });

  it("acknowledges a WhatsApp message and a status update with 200 and stores nothing", async () => {
    const whatsapp = GOLDEN.replace('"channel":"sms"', '"channel":"whatsapp"').replace("aaaaaaaa", "cccccccc");
    const response = await send(whatsapp, signed(whatsapp));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(await pipeline.db.select().from(messages)).toHaveLength(1);
  });

  it("refuses forgeries, stale tokens and another content type; asks for a retry of an unsigned one", async () => {
    const forged = GOLDEN.replace("aaaaaaaa", "dddddddd");
    expect((await send(forged, signed(GOLDEN))).status).toBe(403);
    const stale = `Bearer ${jwt(claimsFor(forged, Math.floor(Date.now() / 1000) - 3600))}`;
    expect((await send(forged, stale)).status).toBe(401);
    const unsigned = await send(forged, null);
    expect(unsigned.status).toBe(503);
    expect(unsigned.headers.get("retry-after")).toBe("5");
    expect((await send("<x/>", signed("<x/>"), "text/xml")).status).toBe(415);
    expect(await pipeline.db.select().from(messages)).toHaveLength(1);
  });

  it("quarantines an authenticated message to a number that is not the gateway's (422)", async () => {
    const body = GOLDEN.replace(NUMBER.slice(1), "447911999998").replace("aaaaaaaa", "eeeeeeee");
    const response = await send(body, signed(body));
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: "unknown_recipient" });
    const [kept] = await listQuarantine(pipeline.db);
    expect(kept).toMatchObject({ gateway: "vonage-messages-1", error: "unknown_recipient", body });
    expect(kept!.headers.authorization).toBe("***");
  });
});
