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
import { sinch, verifySinchSignature } from "./sinch";
import { appError, pipelineDatabase } from "@/lib/testing/adapters";

// docs/ingest-sources.md §5 [O]: Sinch .NET SDK test (a Conversation callback, same HMAC scheme).
const O_SECRET = "foo_secret1234";
const O_NONCE = "01FJA8B4A7BM43YGWSG9GBV067";
const O_TIMESTAMP = "1634579353";
const O_BODY =
  '{"app_id":"","accepted_time":"2021-10-18T17:49:13.813615Z","project_id":"e2df3a34-a71b-4448-9db5-a8d2baad28e4","contact_create_notification":{"contact":{"id":"01FJA8B466Y0R2GNXD78MD9SM1","channel_identities":[{"channel":"SMS","identity":"48123456789","app_id":""}],"display_name":"New Test Contact","email":"new.contact@email.com","external_id":"","metadata":"","language":"EN_US"}},"message_metadata":""}';
const O_SIGNATURE = "6bpJoRmFoXVjfJIVglMoJzYXxnoxRujzR4k2GOXewOE=";

// §5 [S]: an SMS-shaped callback.
const S_SECRET = "my-sinch-secret";
const S_NONCE = "n0nce123";
const S_TIMESTAMP = "1704103200";
const S_BODY =
  '{"id":"01FC66621XXXXX119Z8PMV1QPQ","from":"+447700900001","to":"+12345678900","body":"Hello from Sinch","type":"mo_text","received_at":"2024-01-01T10:00:00.000Z","operator_id":"23410"}';
const S_SIGNATURE = "rlgfoDwaMmGvcUkTmBnCycdEDDb47ICI5eZf/no8Gvg=";

const URL_ = "https://example.com/api/sms/inbound";
const API_KEY = "nbx_sinch-test-key-0123456789abcdefghijklmnop";
const at = (timestamp: string, offsetSeconds = 0) => new Date((Number(timestamp) + offsetSeconds) * 1000);

function gateway(secrets: string[] = [S_SECRET]): GatewayAuth {
  return { id: "sinch-1", kind: "sinch", apiKeyHashes: [hashKey(API_KEY)], secrets, config: {} };
}

function inbound(body: string | Uint8Array, headers: Record<string, string>, now: Date, url = URL_) {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const request = new Request(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: bytes as Uint8Array<ArrayBuffer>,
  });
  return toInboundRequest(request, bytes, new URL(url).origin, now);
}

/** An independent signer: base64(HMAC(secret, body + "." + nonce + "." + timestamp)). */
function signed(
  secret: string,
  body: string,
  nonce: string,
  timestamp: string,
  algorithm = "sha256",
): Record<string, string> {
  return {
    "x-sinch-webhook-signature": createHmac(algorithm, secret).update(`${body}.${nonce}.${timestamp}`).digest("base64"),
    "x-sinch-webhook-signature-nonce": nonce,
    "x-sinch-webhook-signature-timestamp": timestamp,
    "x-sinch-webhook-signature-algorithm": `HmacSHA${algorithm.slice(3)}`,
  };
}

const sHeaders = {
  "x-sinch-webhook-signature": S_SIGNATURE,
  "x-sinch-webhook-signature-nonce": S_NONCE,
  "x-sinch-webhook-signature-timestamp": S_TIMESTAMP,
  "x-sinch-webhook-signature-algorithm": "HmacSHA256",
};

/** A mo_binary callback: UTF-16BE bytes as base64, with an optional UDH. */
function binary(id: string, bytes: Buffer, udh?: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id,
    type: "mo_binary",
    from: "447700900001",
    to: "12345678900",
    body: bytes.toString("base64"),
    ...(udh === undefined ? {} : { udh }),
    received_at: "2024-01-01T10:00:00.000Z",
    ...extra,
  });
}
const utf16be = (text: string) => Buffer.from(text, "utf16le").swap16();

describe("sinch HMAC signature (x-sinch-webhook-signature)", () => {
  it("accepts the [O] vector with the clock pinned", () => {
    const request = inbound(O_BODY, signed(O_SECRET, O_BODY, O_NONCE, O_TIMESTAMP), at(O_TIMESTAMP));
    expect(request.headers.get("x-sinch-webhook-signature")).toBe(O_SIGNATURE);
    expect(() => verifySinchSignature(request, gateway([O_SECRET]))).not.toThrow();
  });

  it("accepts the [S] vector with the clock pinned, through authenticate", () => {
    expect(() => sinch.authenticate(inbound(S_BODY, sHeaders, at(S_TIMESTAMP)), gateway())).not.toThrow();
  });

  it("takes the window as ±300 s", () => {
    expect(() => verifySinchSignature(inbound(S_BODY, sHeaders, at(S_TIMESTAMP, 299)), gateway())).not.toThrow();
    expect(() => verifySinchSignature(inbound(S_BODY, sHeaders, at(S_TIMESTAMP, -299)), gateway())).not.toThrow();
    for (const offset of [301, -301, 86_400]) {
      expect(
        appError(() => verifySinchSignature(inbound(S_BODY, sHeaders, at(S_TIMESTAMP, offset)), gateway())),
      ).toMatchObject({
        status: 401,
        code: "stale_request",
      });
    }
  });

  it("refuses a body changed by one byte, a signature changed by one character, a wrong key, another nonce", () => {
    const now = at(S_TIMESTAMP);
    const cases: [string, Record<string, string>, string[]][] = [
      [S_BODY.replace("Hello", "Hellp"), sHeaders, [S_SECRET]],
      [S_BODY, { ...sHeaders, "x-sinch-webhook-signature": S_SIGNATURE.replace("rlgf", "rlgg") }, [S_SECRET]],
      [S_BODY, sHeaders, ["another-secret"]],
      [S_BODY, { ...sHeaders, "x-sinch-webhook-signature-nonce": "n0nce124" }, [S_SECRET]],
    ];
    for (const [body, headers, secrets] of cases) {
      expect(appError(() => sinch.authenticate(inbound(body, headers, now), gateway(secrets)))).toMatchObject({
        status: 403,
        code: "bad_signature",
      });
    }
  });

  it("refuses a signed callback to a gateway without a secret", () => {
    expect(appError(() => sinch.authenticate(inbound(S_BODY, sHeaders, at(S_TIMESTAMP)), gateway([])))).toMatchObject({
      status: 403,
      code: "bad_signature",
    });
  });

  it("answers 400 for malformed signature headers", () => {
    const now = at(S_TIMESTAMP);
    const cases: Record<string, string>[] = [
      { ...sHeaders, "x-sinch-webhook-signature-timestamp": "2024-01-01T10:00:00Z" },
      { ...sHeaders, "x-sinch-webhook-signature-algorithm": "HmacMD5" },
      { "x-sinch-webhook-signature": S_SIGNATURE, "x-sinch-webhook-signature-timestamp": S_TIMESTAMP },
      { "x-sinch-webhook-signature-nonce": S_NONCE, "x-sinch-webhook-signature-timestamp": S_TIMESTAMP },
    ];
    for (const headers of cases) {
      expect(appError(() => sinch.authenticate(inbound(S_BODY, headers, now), gateway()))).toMatchObject({
        status: 400,
        code: "malformed_signature",
      });
    }
  });

  it("accepts HmacSHA512, the previous secret during a rotation, and no algorithm header (SHA-256)", () => {
    const now = at(S_TIMESTAMP);
    const sha512 = signed(S_SECRET, S_BODY, S_NONCE, S_TIMESTAMP, "sha512");
    expect(() => sinch.authenticate(inbound(S_BODY, sha512, now), gateway())).not.toThrow();
    expect(() => sinch.authenticate(inbound(S_BODY, sHeaders, now), gateway(["new-secret", S_SECRET]))).not.toThrow();
    const noAlgorithm: Record<string, string> = { ...sHeaders };
    delete noAlgorithm["x-sinch-webhook-signature-algorithm"];
    expect(() => sinch.authenticate(inbound(S_BODY, noAlgorithm, now), gateway())).not.toThrow();
  });
});

describe("sinch API key (Basic password, bearer, ?key=)", () => {
  const now = new Date();
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

  it("accepts the key as Basic auth password, bearer token or ?key=", () => {
    expect(() =>
      sinch.authenticate(inbound(S_BODY, { authorization: basic("sinch", API_KEY) }, now), gateway()),
    ).not.toThrow();
    expect(() =>
      sinch.authenticate(inbound(S_BODY, { authorization: basic("", API_KEY) }, now), gateway()),
    ).not.toThrow();
    expect(() =>
      sinch.authenticate(inbound(S_BODY, { authorization: `Bearer ${API_KEY}` }, now), gateway()),
    ).not.toThrow();
    expect(() => sinch.authenticate(inbound(S_BODY, {}, now, `${URL_}?key=${API_KEY}`), gateway())).not.toThrow();
  });

  it("refuses a wrong key (401 bad_key), broken Basic credentials (400), and asks for credentials when there are none (401)", () => {
    expect(
      appError(() =>
        sinch.authenticate(inbound(S_BODY, { authorization: basic("sinch", `${API_KEY}x`) }, now), gateway()),
      ),
    ).toMatchObject({
      status: 401,
      code: "bad_key",
    });
    expect(
      appError(() => sinch.authenticate(inbound(S_BODY, {}, now, `${URL_}?key=nbx_wrong`), gateway())),
    ).toMatchObject({
      status: 401,
      code: "bad_key",
    });
    expect(
      appError(() => sinch.authenticate(inbound(S_BODY, { authorization: "Basic !!!" }, now), gateway())),
    ).toMatchObject({
      status: 400,
      code: "malformed_signature",
    });
    for (const headers of [{}, { authorization: basic("sinch", "") }] as Record<string, string>[]) {
      const missing = appError(() => sinch.authenticate(inbound(S_BODY, headers, now), gateway()));
      expect(missing).toMatchObject({ status: 401, code: "missing_credentials" });
      expect(missing.headers["WWW-Authenticate"]).toContain("Basic");
    }
  });
});

describe("sinch parse", () => {
  const now = at(S_TIMESTAMP);

  it("reads the [S] mo_text into the canonical message", () => {
    expect(sinch.parse(inbound(S_BODY, {}, now), gateway())).toEqual({
      messages: [
        {
          to: "+12345678900",
          from: "+447700900001",
          text: "Hello from Sinch",
          receivedAt: new Date("2024-01-01T10:00:00.000Z"),
          sourceKey: "01FC66621XXXXX119Z8PMV1QPQ",
        },
      ],
    });
  });

  it("adds '+' to an all-digit international sender, keeps short codes and names, falls back to sent_at", () => {
    const parse = (fields: Record<string, unknown>) =>
      sinch.parse(
        inbound(JSON.stringify({ type: "mo_text", id: "x", to: "12345678900", body: "b", ...fields }), {}, now),
        gateway(),
      );
    expect(parse({ from: "447700900001" })).toMatchObject({ messages: [{ from: "+447700900001" }] });
    expect(parse({ from: "32665" })).toMatchObject({ messages: [{ from: "32665" }] });
    expect(parse({ from: "Sinch Info" })).toMatchObject({ messages: [{ from: "Sinch Info" }] });
    expect(parse({ from: "1", sent_at: "2024-01-01T09:59:58.000Z" })).toMatchObject({
      messages: [{ receivedAt: new Date("2024-01-01T09:59:58Z") }],
    });
    expect(parse({ from: "1", received_at: "yesterday" })).toMatchObject({ messages: [{ receivedAt: null }] });
  });

  it("reads mo_media's message text", () => {
    const body = JSON.stringify({
      type: "mo_media",
      id: "m",
      from: "+1",
      to: "+12345678900",
      body: { subject: "s", message: "look", media: [] },
    });
    expect(sinch.parse(inbound(body, {}, now), gateway())).toMatchObject({ messages: [{ text: "look" }] });
  });

  it("ignores delivery reports and other callbacks (the [O] vector's Conversation event too)", () => {
    const report = JSON.stringify({ type: "delivery_report_sms", batch_id: "b", statuses: [] });
    expect(sinch.parse(inbound(report, {}, now), gateway())).toEqual({
      ignored: expect.stringContaining("delivery_report_sms"),
    });
    expect(sinch.parse(inbound(O_BODY, {}, now), gateway())).toEqual({ ignored: expect.any(String) });
  });

  it("answers 400 for a body that is not a JSON object or not UTF-8", () => {
    for (const body of ["{not json", "[1,2]", '"text"']) {
      expect(appError(() => sinch.parse(inbound(body, {}, now), gateway()))).toMatchObject({
        status: 400,
        code: "malformed_body",
      });
    }
    const latin1 = Uint8Array.from([...Buffer.from('{"type":"mo_text","body":"caf'), 0xe9, ...Buffer.from('"}')]);
    expect(appError(() => sinch.parse(inbound(latin1, {}, now), gateway()))).toMatchObject({
      status: 400,
      code: "invalid_utf8",
    });
  });

  it("reads a single mo_binary as UCS-2", () => {
    const parsed = sinch.parse(inbound(binary("b1", utf16be("Привет 👋")), {}, now), gateway());
    expect(parsed).toMatchObject({
      messages: [{ from: "+447700900001", text: "Привет 👋", segments: 1, sourceKey: "b1" }],
    });
    const portsOnly = sinch.parse(inbound(binary("b2", utf16be("hi"), "0605040B8423F0"), {}, now), gateway());
    expect(portsOnly).toMatchObject({ messages: [{ text: "hi" }] });
  });

  it("turns a mo_binary with a concatenation UDH into a part (8-bit and 16-bit references)", () => {
    const bytes = utf16be("Hello");
    expect(sinch.parse(inbound(binary("p1", bytes, "0500032A0201"), {}, now), gateway())).toMatchObject({
      messages: [{ text: "", part: { ref: "42", part: 1, total: 2, ucs2: new Uint8Array(bytes) } }],
    });
    expect(sinch.parse(inbound(binary("p2", bytes, "060804BEEF0302"), {}, now), gateway())).toMatchObject({
      messages: [{ part: { ref: String(0xbeef), part: 2, total: 3 } }],
    });
  });

  it("answers 422 for malformed binary: body, UDH, element lengths, odd or invalid UCS-2", () => {
    const code = (body: string) => appError(() => sinch.parse(inbound(body, {}, now), gateway()));
    const notBase64 = JSON.stringify({
      type: "mo_binary",
      id: "x",
      from: "1",
      to: "1",
      body: "***",
      udh: "0500032A0201",
    });
    expect(code(notBase64)).toMatchObject({ status: 422, code: "bad_binary_encoding" });
    for (const udh of ["zz", "05000", "0600032A0201", "0500042A0201", "0300032A"]) {
      expect(code(binary("x", utf16be("a"), udh)), udh).toMatchObject({ status: 422, code: "bad_binary_encoding" });
    }
    expect(code(binary("x", Buffer.from([0x00, 0x41, 0x00]), "0500032A0201"))).toMatchObject({
      status: 422,
      code: "bad_ucs2",
    });
    expect(code(binary("x", Buffer.from([0xd8, 0x3d])))).toMatchObject({ status: 422, code: "bad_ucs2" });
  });
});

describe("sinch through the pipeline (PGlite)", () => {
  const PUBLIC_URL = "https://numbox.example.com";
  const GATEWAY = "sinch-test";
  const NUMBER = "+12345678900";
  let apiKey: string;

  const pipeline = pipelineDatabase(PUBLIC_URL, async (db) => {
    ({ apiKey } = await createGateway(db, { id: GATEWAY, kind: "sinch", secret: S_SECRET }));
    await createNumber(db, { number: NUMBER, gateway: GATEWAY });
  });

  /** Sinch's request, signed now (the pipeline runs on the real clock). */
  function signedRequest(body: string, secret = S_SECRET): Request {
    const timestamp = String(Math.floor(Date.now() / 1000));
    return new Request(`http://127.0.0.1:3000/api/inbound/${GATEWAY}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...signed(secret, body, `n${Math.random()}`, timestamp) },
      body,
    });
  }

  function send(request: Request): Promise<Response> {
    return pipeline.ingest(GATEWAY, request);
  }

  const rowsWith = (sourceKey: string) => pipeline.db.select().from(messages).where(eq(messages.sourceKey, sourceKey));

  it("stores the golden request once, answers 200 JSON, and answers a retry the same", async () => {
    const first = await send(signedRequest(S_BODY));
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toContain("application/json");
    expect(await first.json()).toEqual({ ok: true });

    const page = await pipeline.inbox(NUMBER);
    expect(page.messages).toMatchObject([
      { number: NUMBER, from: "+447700900001", text: "Hello from Sinch", receivedAt: "2024-01-01T10:00:00.000Z" },
    ]);

    const retry = await send(signedRequest(S_BODY));
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ ok: true });
    expect(await rowsWith("01FC66621XXXXX119Z8PMV1QPQ")).toHaveLength(1);
  });

  it("answers 409 for the same id with another text", async () => {
    const response = await send(signedRequest(S_BODY.replace("Hello from Sinch", "Other")));
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: "idempotency_conflict" });
  });

  it("accepts the API key in the URL or as the Basic auth password", async () => {
    const body = S_BODY.replace("01FC66621XXXXX119Z8PMV1QPQ", "key-1");
    const viaQuery = await send(
      new Request(`http://127.0.0.1:3000/api/inbound/${GATEWAY}?key=${apiKey}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body,
      }),
    );
    expect(viaQuery.status).toBe(200);
    const viaBasic = await send(
      new Request(`http://127.0.0.1:3000/api/inbound/${GATEWAY}`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Authorization: `Basic ${Buffer.from(`sinch:${apiKey}`).toString("base64")}`,
        },
        body: body.replace("key-1", "key-2"),
      }),
    );
    expect(viaBasic.status).toBe(200);
    expect(await rowsWith("key-1")).toHaveLength(1);
    expect(await rowsWith("key-2")).toHaveLength(1);
  });

  it("refuses a stale or forged signature and stores nothing", async () => {
    const stale = new Request(`http://127.0.0.1:3000/api/inbound/${GATEWAY}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...sHeaders },
      body: S_BODY.replace("01FC66621XXXXX119Z8PMV1QPQ", "stale-1"),
    });
    const staleResponse = await send(stale);
    expect(staleResponse.status).toBe(401);
    expect(await staleResponse.json()).toMatchObject({ error: "stale_request" });
    const forged = await send(signedRequest(S_BODY.replace("01FC66621XXXXX119Z8PMV1QPQ", "forged-1"), "wrong secret"));
    expect(forged.status).toBe(403);
    expect(await rowsWith("stale-1")).toHaveLength(0);
    expect(await rowsWith("forged-1")).toHaveLength(0);
  });

  it("joins mo_binary parts that arrive out of order, with an emoji split across them", async () => {
    const bytes = utf16be("Код 4711 👋 ok");
    const cut = 2 * 9 + 2; // inside the surrogate pair of 👋
    const part2 = await send(signedRequest(binary("bin-2", bytes.subarray(cut), "0500037B0202")));
    expect(part2.status).toBe(200);
    expect(await rowsWith("bin-2")).toHaveLength(0); // a part is not a message yet
    const part1 = await send(signedRequest(binary("bin-1", bytes.subarray(0, cut), "0500037B0201")));
    expect(part1.status).toBe(200);
    const page = await pipeline.inbox(NUMBER);
    expect(page.messages[0]).toMatchObject({ from: "+447700900001", text: "Код 4711 👋 ok" });
    const [row] = await pipeline.db.select().from(messages).where(eq(messages.id, page.messages[0]!.id));
    expect(row).toMatchObject({ segments: 2, incomplete: false });

    const again = await send(signedRequest(binary("bin-1", bytes.subarray(0, cut), "0500037B0201")));
    expect(again.status).toBe(200);
    expect((await pipeline.inbox(NUMBER)).messages.filter((m) => m.text === "Код 4711 👋 ok")).toHaveLength(1);
  });

  it("quarantines malformed binary (422) and a message for a stranger's number", async () => {
    const bad = await send(signedRequest(binary("bad-udh", utf16be("x"), "0600032A0201")));
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ error: "bad_binary_encoding" });
    const stranger = await send(
      signedRequest(S_BODY.replace("01FC66621XXXXX119Z8PMV1QPQ", "s-1").replace("+12345678900", "+12025550143")),
    );
    expect(stranger.status).toBe(422);
    expect((await listQuarantine(pipeline.db)).slice(0, 2).map((q) => q.error)).toEqual([
      "unknown_recipient",
      "bad_binary_encoding",
    ]);
  });

  it("ignores a delivery report with 200", async () => {
    const response = await send(
      signedRequest(JSON.stringify({ type: "delivery_report_sms", batch_id: "b1", statuses: [] })),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it("answers 415 for a form body", async () => {
    const response = await send(
      new Request(`http://127.0.0.1:3000/api/inbound/${GATEWAY}?key=${apiKey}`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: "a=b",
      }),
    );
    expect(response.status).toBe(415);
  });
});
