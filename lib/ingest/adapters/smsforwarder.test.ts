import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { messages } from "@/db/schema";
import { createGateway } from "@/lib/admin/gateways";
import { hashKey } from "@/lib/security/secrets";
import { createNumber } from "@/lib/admin/numbers";
import { toErrorResponse } from "@/lib/http";
import type { GatewayAuth } from "../adapter";
import { ingest } from "../ingest";
import { parseForm, toInboundRequest } from "../request";
import { smsforwarder, verifySmsForwarderSign } from "./smsforwarder";
import { appError, pipelineDatabase } from "@/lib/testing/adapters";

// docs/ingest-sources.md §9b [S]: secret, timestamp (ms), the sign as base64 and as the app sends it (URL-encoded).
const SECRET = "SEC000000000000";
const TIMESTAMP = "1700000000000";
const SIGN_BASE64 = "a8i45BzJGk5vbHKA46vp6z5jGF78EFw4SRzNZM4se/w=";
const SIGN_AS_SENT = "a8i45BzJGk5vbHKA46vp6z5jGF78EFw4SRzNZM4se%2Fw%3D";
const AT_VECTOR = new Date(1_700_000_000_000);

const API_KEY = "nbx_smsforwarder-test-key-0123456789abcdef";
const PUBLIC_URL = "https://numbox.example";
const URL_PATH = `${PUBLIC_URL}/api/inbound/pppscn-1`;

// The recommended JSON template (setup snippet) as the app renders it: [sign] is inserted URL-encoded.
const GOLDEN = JSON.stringify({
  from: "+8613800138000",
  org_content: "【验证码】您的验证码是 123456，5 分钟内有效。",
  receive_time: "2023-11-14 22:13:19",
  card_slot: "SIM1_China Mobile_+8613900139000",
  device_mark: "Pixel-7",
  timestamp: TIMESTAMP,
  sign: SIGN_AS_SENT,
});

function gateway(secrets: string[] = [SECRET]): GatewayAuth {
  return { id: "pppscn-1", kind: "smsforwarder", apiKeyHashes: [hashKey(API_KEY)], secrets, config: {} };
}

/** The app's sign: URLEncoder.encode(base64(HMAC-SHA256(secret, timestamp + "\n" + secret))). */
const appSign = (timestamp: string, secret = SECRET) =>
  encodeURIComponent(createHmac("sha256", secret).update(`${timestamp}\n${secret}`).digest("base64"));

function inbound(
  method: string,
  body: string | null,
  headers: Record<string, string> = { "content-type": "application/json", authorization: `Bearer ${API_KEY}` },
  url = URL_PATH,
  now = AT_VECTOR,
) {
  const bytes = new TextEncoder().encode(body ?? "");
  const request = new Request(url, { method, headers, body: body === null ? null : bytes });
  return toInboundRequest(request, bytes, PUBLIC_URL, now);
}

const fields = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe("smsforwarder sign (DingTalk style, over timestamp + secret only)", () => {
  it("our signing reproduces the [S] vector, raw and as sent", () => {
    expect(createHmac("sha256", SECRET).update(`${TIMESTAMP}\n${SECRET}`).digest("base64")).toBe(SIGN_BASE64);
    expect(appSign(TIMESTAMP)).toBe(SIGN_AS_SENT);
  });

  it("accepts the vector as sent (decoded once more), raw, and doubly encoded after form decoding", () => {
    for (const sign of [SIGN_AS_SENT, SIGN_BASE64]) {
      expect(() => verifySmsForwarderSign(fields({ timestamp: TIMESTAMP, sign }), AT_VECTOR, gateway())).not.toThrow();
    }
    // A form POST: the app's params are form-encoded again by its HTTP client.
    const form = parseForm(`timestamp=${TIMESTAMP}&sign=${encodeURIComponent(SIGN_AS_SENT)}`);
    expect(form.get("sign")).toBe(SIGN_AS_SENT);
    expect(() => verifySmsForwarderSign(form, AT_VECTOR, gateway())).not.toThrow();
    expect(() =>
      verifySmsForwarderSign(fields({ timestamp: TIMESTAMP, sign: SIGN_AS_SENT }), AT_VECTOR, gateway(["new", SECRET])),
    ).not.toThrow();
  });

  it("rejects a one-character change of sign or timestamp, and a wrong secret (403)", () => {
    const cases = [
      fields({ timestamp: TIMESTAMP, sign: SIGN_BASE64.replace("a8i4", "a8i5") }),
      fields({ timestamp: "1700000000001", sign: SIGN_AS_SENT }),
    ];
    for (const f of cases) {
      const error = appError(() => verifySmsForwarderSign(f, AT_VECTOR, gateway()));
      expect([error.status, error.code]).toEqual([403, "bad_signature"]);
    }
    const wrong = appError(() =>
      verifySmsForwarderSign(
        fields({ timestamp: TIMESTAMP, sign: SIGN_AS_SENT }),
        AT_VECTOR,
        gateway(["SEC000000000001"]),
      ),
    );
    expect([wrong.status, wrong.code]).toEqual([403, "bad_signature"]);
  });

  it("accepts ±1 h and refuses more (401 stale_request)", () => {
    const f = fields({ timestamp: TIMESTAMP, sign: SIGN_AS_SENT });
    for (const offset of [-3600, 3600]) {
      expect(() => verifySmsForwarderSign(f, new Date(AT_VECTOR.getTime() + offset * 1000), gateway())).not.toThrow();
    }
    for (const offset of [-3601, 3601]) {
      const error = appError(() => verifySmsForwarderSign(f, new Date(AT_VECTOR.getTime() + offset * 1000), gateway()));
      expect([error.status, error.code]).toEqual([401, "stale_request"]);
    }
  });

  it("refuses a malformed sign or timestamp (400) and a missing one (401)", () => {
    for (const f of [
      { timestamp: TIMESTAMP, sign: "%E0%A4%A" },
      { timestamp: TIMESTAMP, sign: "not a sign" },
      { timestamp: "2023-11-14", sign: SIGN_AS_SENT },
    ]) {
      const error = appError(() => verifySmsForwarderSign(fields(f), AT_VECTOR, gateway()));
      expect([error.status, error.code], JSON.stringify(f)).toEqual([400, "malformed_signature"]);
    }
    for (const f of [{ timestamp: TIMESTAMP }, { sign: SIGN_AS_SENT }, {}] as Record<string, string>[]) {
      const error = appError(() => verifySmsForwarderSign(fields(f), AT_VECTOR, gateway()));
      expect([error.status, error.code], JSON.stringify(f)).toEqual([401, "missing_credentials"]);
    }
  });

  it("needs the API key (bearer, Basic password or ?key=) before and besides the sign", () => {
    const json = { "content-type": "application/json" };
    expect(() => smsforwarder.authenticate(inbound("POST", GOLDEN), gateway())).not.toThrow();
    expect(() =>
      smsforwarder.authenticate(inbound("POST", GOLDEN, json, `${URL_PATH}?key=${API_KEY}`), gateway()),
    ).not.toThrow();
    const basic = { ...json, authorization: `Basic ${Buffer.from(`phone:${API_KEY}`).toString("base64")}` };
    expect(() => smsforwarder.authenticate(inbound("POST", GOLDEN, basic), gateway())).not.toThrow();
    expect(appError(() => smsforwarder.authenticate(inbound("POST", GOLDEN, json), gateway())).code).toBe(
      "missing_credentials",
    );
    // The sign does not cover the message: the key is what keeps strangers out.
    const forged = GOLDEN.replace("123456", "999999");
    expect(() => smsforwarder.authenticate(inbound("POST", forged), gateway())).not.toThrow();
    expect(
      appError(() =>
        smsforwarder.authenticate(inbound("POST", forged, { ...json, authorization: "Bearer nbx_guess" }), gateway()),
      ).code,
    ).toBe("bad_key");
  });
});

describe("smsforwarder parse", () => {
  const expected = {
    from: "+8613800138000",
    text: "【验证码】您的验证码是 123456，5 分钟内有效。",
    sim: 1,
    receivedAt: new Date("2023-11-14T22:13:19Z"),
  };

  it("reads the golden JSON template", () => {
    const parsed = smsforwarder.parse(inbound("POST", GOLDEN), gateway());
    expect(parsed).toEqual({ messages: [{ ...expected, sourceKey: expect.stringMatching(/^[0-9a-f]{64}$/) }] });
  });

  it("gives the same key to a re-send (new timestamp and sign), a different one to another device or time", () => {
    const key = (body: string) =>
      (smsforwarder.parse(inbound("POST", body), gateway()) as { messages: { sourceKey: unknown }[] }).messages[0]!
        .sourceKey;
    const golden = JSON.parse(GOLDEN);
    expect(key(JSON.stringify({ ...golden, timestamp: "1700000060000", sign: appSign("1700000060000") }))).toBe(
      key(GOLDEN),
    );
    expect(key(JSON.stringify({ ...golden, device_mark: "Pixel-8" }))).not.toBe(key(GOLDEN));
    expect(key(JSON.stringify({ ...golden, receive_time: "2023-11-14 22:13:20" }))).not.toBe(key(GOLDEN));
  });

  it("reads the default form POST and GET queries (with and without a template)", () => {
    const form = `from=%2B8613800138000&content=${encodeURIComponent("hello & = % +")}&timestamp=${TIMESTAMP}&sign=${encodeURIComponent(SIGN_AS_SENT)}`;
    const formRequest = inbound("POST", form, {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Bearer ${API_KEY}`,
    });
    expect(smsforwarder.parse(formRequest, gateway())).toMatchObject({
      messages: [{ from: "+8613800138000", text: "hello & = % +", sim: null }],
    });
    expect(() => smsforwarder.authenticate(formRequest, gateway())).not.toThrow();

    const get = `${URL_PATH}?key=${API_KEY}&from=%2B8613800138000&content=${encodeURIComponent("第一行\n第二行")}&timestamp=${TIMESTAMP}&sign=${SIGN_AS_SENT}`;
    const getRequest = inbound("GET", null, {}, get);
    expect(smsforwarder.parse(getRequest, gateway())).toMatchObject({
      messages: [{ from: "+8613800138000", text: "第一行\n第二行" }],
    });
    expect(() => smsforwarder.authenticate(getRequest, gateway())).not.toThrow();

    // A GET template: the app URL-encodes the already encoded sign once more.
    const templated = `${URL_PATH}?key=${API_KEY}&from=Bank&org_content=x&card_slot=SIM2_&timestamp=${TIMESTAMP}&sign=${encodeURIComponent(SIGN_AS_SENT)}`;
    const templatedRequest = inbound("GET", null, {}, templated);
    expect(smsforwarder.parse(templatedRequest, gateway())).toMatchObject({
      messages: [{ from: "Bank", text: "x", sim: 2 }],
    });
    expect(() => smsforwarder.authenticate(templatedRequest, gateway())).not.toThrow();
  });

  it("prefers org_content over the rendered content, and keys on the timestamp without receive_time", () => {
    const body = JSON.stringify({
      from: "Bank",
      content: "Bank\n12345\nSIM1",
      org_content: "12345",
      timestamp: 1700000000000,
    });
    expect(smsforwarder.parse(inbound("POST", body), gateway())).toMatchObject({
      messages: [{ text: "12345", receivedAt: null, sourceKey: expect.stringMatching(/^[0-9a-f]{64}$/) }],
    });
    const keyless = JSON.stringify({ from: "Bank", org_content: "12345" });
    expect(smsforwarder.parse(inbound("POST", keyless), gateway())).toMatchObject({ messages: [{ sourceKey: null }] });
  });

  it("answers broken bodies with 400 and a repeated, conflicting field with 400 ambiguous_parameter", () => {
    expect(appError(() => smsforwarder.parse(inbound("POST", '{"from":'), gateway())).code).toBe("malformed_body");
    const form = { "content-type": "application/x-www-form-urlencoded", authorization: `Bearer ${API_KEY}` };
    expect(appError(() => smsforwarder.parse(inbound("POST", "from=%ZZ&content=x", form), gateway())).code).toBe(
      "malformed_body",
    );
    expect(appError(() => smsforwarder.parse(inbound("POST", "from=a&from=b&content=x", form), gateway())).code).toBe(
      "ambiguous_parameter",
    );
  });
});

describe("smsforwarder through the pipeline (PGlite)", () => {
  const pipeline = pipelineDatabase(PUBLIC_URL, async (db) => {
    await createGateway(db, { id: "pppscn-1", kind: "smsforwarder", secret: SECRET }, { apiKey: API_KEY });
    await createNumber(db, { number: "+998940373339", gateway: "pppscn-1", sim: 1 });
    await createNumber(db, { number: "+998940373340", gateway: "pppscn-1", sim: 2 });
  });

  /** The golden JSON, signed now (the pipeline's clock is the real one). */
  function fresh(fields: Record<string, unknown> = {}): string {
    const timestamp = String(Date.now());
    return JSON.stringify({ ...JSON.parse(GOLDEN), timestamp, sign: appSign(timestamp), ...fields });
  }

  async function send(
    method: string,
    body: string | null,
    url = `http://10.1.1.1/api/inbound/pppscn-1?key=${API_KEY}`,
    contentType = "application/json",
  ) {
    const request = new Request(url, { method, headers: body === null ? {} : { "content-type": contentType }, body });
    return pipeline.ingest("pppscn-1", request);
  }

  it("stores the golden JSON once; the app's re-send with a new timestamp and sign gets the same 200", async () => {
    const first = await send("POST", fresh());
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await first.json()).toEqual({ ok: true, accepted: 1, duplicates: 0 });
    const resend = await send("POST", fresh());
    expect(resend.status).toBe(200);
    expect(await resend.json()).toEqual({ ok: true, accepted: 0, duplicates: 1 });

    const page = await pipeline.inbox("+998940373339");
    expect(page.messages).toHaveLength(1);
    expect(page.messages[0]).toMatchObject({
      from: "+8613800138000",
      text: "【验证码】您的验证码是 123456，5 分钟内有效。",
      code: "123456",
      receivedAt: "2023-11-14T22:13:19.000Z",
    });
  });

  it("answers the same key with other content (another SIM's number) 409", async () => {
    const response = await send("POST", fresh({ card_slot: "SIM2_Beeline" }));
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: "idempotency_conflict" });
  });

  it("takes PUT and PATCH JSON, a form POST and a GET query", async () => {
    expect((await send("PUT", fresh({ org_content: "via PUT" }))).status).toBe(200);
    expect((await send("PATCH", fresh({ org_content: "via PATCH", card_slot: "SIM2_" }))).status).toBe(200);
    const timestamp = String(Date.now());
    const form = `from=Bank&org_content=via+form&receive_time=2023-11-14+22%3A13%3A19&card_slot=SIM1_&timestamp=${timestamp}&sign=${encodeURIComponent(appSign(timestamp))}`;
    expect((await send("POST", form, undefined, "application/x-www-form-urlencoded")).status).toBe(200);
    const query = `from=Bank&content=via%20GET&card_slot=SIM1&timestamp=${timestamp}&sign=${appSign(timestamp)}`;
    expect((await send("GET", null, `http://10.1.1.1/api/inbound/pppscn-1?key=${API_KEY}&${query}`)).status).toBe(200);
    const sim1 = await pipeline.inbox("+998940373339");
    const sim2 = await pipeline.inbox("+998940373340");
    expect(sim1.messages.map((m) => m.text)).toEqual([
      "via GET",
      "via form",
      "via PUT",
      "【验证码】您的验证码是 123456，5 分钟内有效。",
    ]);
    expect(sim2.messages.map((m) => m.text)).toEqual(["via PATCH"]);
  });

  it("refuses a GET whose URL is over the limit (414)", async () => {
    const request = new Request(`http://10.1.1.1/api/inbound/pppscn-1?key=${API_KEY}&org_content=${"x".repeat(2000)}`);
    const response = await ingest(pipeline.db, "pppscn-1", request, { ...pipeline.limits, maxUrlLength: 1024 }).catch(
      toErrorResponse,
    );
    expect(response.status).toBe(414);
  });

  it("refuses a stale or forged sign, a missing key and XML (415)", async () => {
    const stale = String(Date.now() - 3_601_000);
    expect((await send("POST", fresh({ timestamp: stale, sign: appSign(stale) }))).status).toBe(401);
    expect((await send("POST", fresh({ sign: appSign(String(Date.now()), "guess") }))).status).toBe(403);
    expect((await send("POST", fresh(), "http://10.1.1.1/api/inbound/pppscn-1")).status).toBe(401);
    expect((await send("POST", "<sms/>", undefined, "text/xml")).status).toBe(415);
    expect(await pipeline.db.select().from(messages)).toHaveLength(5);
  });
});
