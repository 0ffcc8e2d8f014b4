import { createHmac } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messages } from "@/db/schema";
import { createGateway } from "@/lib/admin/gateways";
import { createNumber } from "@/lib/admin/numbers";
import type { GatewayAuth } from "../adapter";
import { listQuarantine } from "../quarantine";
import { EMPTY_TWIML, twilio, verifyTwilioSignature } from "./twilio";
import { appError, formInbound, pipelineDatabase, type FormInboundOptions } from "@/lib/testing/adapters";

// docs/ingest-sources.md §1 [S] (accepted by twilio@6.2.0): an SMS-shaped request.
const TOKEN = "test_auth_token_0123456789abcdef";
const S_URL = "https://example.com/api/sms/inbound?source=twilio";
const S_BODY =
  "ToCountry=US&ToState=CA&SmsMessageSid=SM0123456789abcdef0123456789abcdef&NumMedia=0&ToCity=SAN+FRANCISCO&FromZip=94105&SmsSid=SM0123456789abcdef0123456789abcdef&FromState=CA&SmsStatus=received&FromCity=SAN+FRANCISCO&Body=Hello+%26+welcome+%E2%80%94+caf%C3%A9+%E2%9C%93&FromCountry=US&To=%2B14155550100&ToZip=94105&NumSegments=1&MessageSid=SM0123456789abcdef0123456789abcdef&AccountSid=AC0123456789abcdef0123456789abcdef&From=%2B14155550199&ApiVersion=2010-04-01";
const S_SIGNATURE = "+1fmBDcVHSmDpQdLi2AaSqINdQ8=";

// §1 [O]: Twilio's docs example, in every Twilio SDK's tests.
const O_TOKEN = "12345";
const O_URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
const O_PARAMS = {
  CallSid: "CA1234567890ABCDE",
  Caller: "+14158675309",
  Digits: "1234",
  From: "+14158675309",
  To: "+18005551212",
};
const O_SIGNATURE = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

// §1 [O]: the JSON / bodySHA256 variant.
const JSON_BODY = '{"property": "value", "boolean": true}';
const JSON_URL =
  "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
const JSON_SIGNATURE = "a9nBmqA0ju/hNViExpshrM61xv4=";

const FORM = "application/x-www-form-urlencoded";
const NOW = new Date("2026-11-22T10:00:00Z");

function gateway(secrets: string[] = [TOKEN]): GatewayAuth {
  return { id: "twilio-1", kind: "twilio", apiKeyHashes: [], secrets, config: {} };
}

const inbound = (url: string, options: FormInboundOptions = {}) => formInbound(url, options, NOW);

/** An independent signer for tests: base64(HMAC-SHA1(token, url + Σ sorted(name + value))). */
function sign(token: string, url: string, params: Record<string, string> = {}): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, name) => acc + name + params[name], url);
  return createHmac("sha1", token).update(data).digest("base64");
}

function form(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

const sParams = Object.fromEntries(new URLSearchParams(S_BODY));

describe("twilio signature (X-Twilio-Signature, HMAC-SHA1 over URL + sorted params)", () => {
  it("accepts the docs vector [O]", () => {
    const request = inbound(O_URL, { body: form(O_PARAMS), headers: { "x-twilio-signature": O_SIGNATURE } });
    expect(() => verifyTwilioSignature(request, gateway([O_TOKEN]))).not.toThrow();
    // The independent signer agrees, so the pipeline tests below sign the same way Twilio does.
    expect(sign(O_TOKEN, O_URL, O_PARAMS)).toBe(O_SIGNATURE);
  });

  it("accepts the docs vector's variant with …5310 (GvWf…)", () => {
    const params = { ...O_PARAMS, Caller: "+14158675310", From: "+14158675310" };
    const request = inbound(O_URL, {
      body: form(params),
      headers: { "x-twilio-signature": "GvWf1cFY/Q7PnoempGyD5oXAezc=" },
    });
    expect(() => verifyTwilioSignature(request, gateway([O_TOKEN]))).not.toThrow();
  });

  it("accepts the SMS-shaped vector [S], whose signature covers decoded values", () => {
    const request = inbound(S_URL, { body: S_BODY, headers: { "x-twilio-signature": S_SIGNATURE } });
    expect(() => verifyTwilioSignature(request, gateway())).not.toThrow();
  });

  it("accepts the JSON bodySHA256 vector [O] and refuses a body that does not hash to it", () => {
    const json = (body: string, signature = JSON_SIGNATURE) =>
      inbound(JSON_URL, { body, headers: { "content-type": "application/json", "x-twilio-signature": signature } });
    expect(() => verifyTwilioSignature(json(JSON_BODY), gateway([O_TOKEN]))).not.toThrow();
    expect(
      appError(() => verifyTwilioSignature(json(JSON_BODY.replace("value", "valuf")), gateway([O_TOKEN]))),
    ).toMatchObject({
      status: 403,
      code: "payload_hash_mismatch",
    });
    expect(
      appError(() => verifyTwilioSignature(json(JSON_BODY, "b9nBmqA0ju/hNViExpshrM61xv4="), gateway([O_TOKEN]))),
    ).toMatchObject({
      status: 403,
      code: "bad_signature",
    });
  });

  it("checks against the configured public URL, never the Host the request came in on", () => {
    const request = inbound("http://10.0.0.5:3000/api/sms/inbound?source=twilio", {
      body: S_BODY,
      headers: { "x-twilio-signature": S_SIGNATURE, host: "evil.example" },
      publicUrl: "https://example.com",
    });
    expect(request.url.toString()).toBe(S_URL);
    expect(() => verifyTwilioSignature(request, gateway())).not.toThrow();
  });

  it("accepts the URL signed with and without the default port", () => {
    const withPort = sign(TOKEN, "https://example.com:443/api/sms/inbound?source=twilio", sParams);
    const request = inbound(S_URL, { body: S_BODY, headers: { "x-twilio-signature": withPort } });
    expect(() => verifyTwilioSignature(request, gateway())).not.toThrow();
  });

  it("accepts a non-default port signed with it, and without it", () => {
    const url = "https://example.com:8443/api/sms/inbound?source=twilio";
    for (const signedUrl of [url, S_URL]) {
      const request = inbound(url, {
        body: S_BODY,
        headers: { "x-twilio-signature": sign(TOKEN, signedUrl, sParams) },
      });
      expect(() => verifyTwilioSignature(request, gateway())).not.toThrow();
    }
  });

  it("keeps the query exactly as sent (its order and escapes are signed)", () => {
    const url = "https://example.com/api/sms/inbound?b=2&a=it%27s";
    const ok = inbound(url, { body: S_BODY, headers: { "x-twilio-signature": sign(TOKEN, url, sParams) } });
    expect(() => verifyTwilioSignature(ok, gateway())).not.toThrow();
    const reordered = inbound("https://example.com/api/sms/inbound?a=it%27s&b=2", {
      body: S_BODY,
      headers: { "x-twilio-signature": sign(TOKEN, url, sParams) },
    });
    expect(appError(() => verifyTwilioSignature(reordered, gateway()))).toMatchObject({
      status: 403,
      code: "bad_signature",
    });
  });

  it("signs GET requests over the URL alone", () => {
    const url = `https://example.com/api/sms/inbound?${S_BODY}`;
    const request = inbound(url, { method: "GET", headers: { "x-twilio-signature": sign(TOKEN, url) } });
    expect(() => verifyTwilioSignature(request, gateway())).not.toThrow();
    const tampered = inbound(url.replace("Hello", "Jello"), {
      method: "GET",
      headers: { "x-twilio-signature": sign(TOKEN, url) },
    });
    expect(appError(() => verifyTwilioSignature(tampered, gateway()))).toMatchObject({
      status: 403,
      code: "bad_signature",
    });
  });

  it("accepts the previous token during a rotation", () => {
    const request = inbound(S_URL, { body: S_BODY, headers: { "x-twilio-signature": S_SIGNATURE } });
    expect(() => verifyTwilioSignature(request, gateway(["new_token_not_yet_used_by_twilio", TOKEN]))).not.toThrow();
  });

  it("refuses a body changed by one byte", () => {
    const body = S_BODY.replace("Body=Hello", "Body=Hellp");
    const request = inbound(S_URL, { body, headers: { "x-twilio-signature": S_SIGNATURE } });
    expect(appError(() => verifyTwilioSignature(request, gateway()))).toMatchObject({
      status: 403,
      code: "bad_signature",
    });
  });

  it("refuses a signature changed by one character", () => {
    const request = inbound(S_URL, { body: S_BODY, headers: { "x-twilio-signature": `+1fmBDcVHSmDpQdLi2AaSqINdQ9=` } });
    expect(appError(() => verifyTwilioSignature(request, gateway()))).toMatchObject({
      status: 403,
      code: "bad_signature",
    });
  });

  it("refuses the wrong token, and a gateway without one", () => {
    const request = inbound(S_URL, { body: S_BODY, headers: { "x-twilio-signature": S_SIGNATURE } });
    expect(appError(() => verifyTwilioSignature(request, gateway(["another_accounts_token"])))).toMatchObject({
      status: 403,
      code: "bad_signature",
    });
    expect(appError(() => verifyTwilioSignature(request, gateway([])))).toMatchObject({
      status: 403,
      code: "bad_signature",
    });
  });

  it("answers 401 without the header and 400 for a header that is no HMAC-SHA1", () => {
    expect(appError(() => verifyTwilioSignature(inbound(S_URL, { body: S_BODY }), gateway()))).toMatchObject({
      status: 401,
      code: "missing_credentials",
    });
    for (const bad of ["not a signature", "+1fmBDcVHSmDpQdLi2AaSqINdQ8", "+1fmBDcVHSmDpQdLi2AaSqINdQ8=="]) {
      const request = inbound(S_URL, { body: S_BODY, headers: { "x-twilio-signature": bad } });
      expect(appError(() => verifyTwilioSignature(request, gateway()))).toMatchObject({
        status: 400,
        code: "malformed_signature",
      });
    }
  });
});

describe("twilio parse", () => {
  it("reads the [S] request into the canonical message", () => {
    expect(twilio.parse(inbound(S_URL, { body: S_BODY }), gateway())).toEqual({
      messages: [
        {
          to: "+14155550100",
          from: "+14155550199",
          text: "Hello & welcome — café ✓",
          receivedAt: null,
          sourceKey: "SM0123456789abcdef0123456789abcdef",
          segments: 1,
        },
      ],
    });
  });

  it("reads a GET request's query", () => {
    const parsed = twilio.parse(inbound(`https://example.com/api/sms/inbound?${S_BODY}`, { method: "GET" }), gateway());
    expect(parsed).toMatchObject({
      messages: [{ from: "+14155550199", text: "Hello & welcome — café ✓", segments: 1 }],
    });
  });

  it("keeps a WhatsApp sender as sent and finds our number behind the channel prefix", () => {
    const body = form({ MessageSid: "SMw", From: "whatsapp:+14155550199", To: "whatsapp:+14155550100", Body: "hi" });
    expect(twilio.parse(inbound(S_URL, { body }), gateway())).toMatchObject({
      messages: [{ from: "whatsapp:+14155550199", to: "+14155550100", text: "hi" }],
    });
  });

  it("reads NumSegments of a long message and keeps '+' and '%' in the text", () => {
    const text = "Code 1234 + 50% off & more = ".repeat(40);
    const body = form({ MessageSid: "SMlong", From: "+14155550199", To: "+14155550100", Body: text, NumSegments: "8" });
    expect(twilio.parse(inbound(S_URL, { body }), gateway())).toMatchObject({ messages: [{ text, segments: 8 }] });
  });

  it("ignores status callbacks", () => {
    const body = form({
      MessageSid: "SMx",
      MessageStatus: "delivered",
      SmsStatus: "delivered",
      To: "+14155550100",
      From: "+1",
    });
    expect(twilio.parse(inbound(S_URL, { body }), gateway())).toEqual({
      ignored: expect.stringContaining("delivered"),
    });
  });

  it("answers 400 for a broken form: bad %-escape, invalid UTF-8, a name repeated with different values", () => {
    expect(appError(() => twilio.parse(inbound(S_URL, { body: "From=%2&Body=x" }), gateway()))).toMatchObject({
      status: 400,
      code: "malformed_body",
    });
    const latin1 = Uint8Array.from([...Buffer.from("From=%2B1&Body=caf"), 0xe9]);
    expect(appError(() => twilio.parse(inbound(S_URL, { body: latin1 }), gateway()))).toMatchObject({
      status: 400,
      code: "invalid_utf8",
    });
    expect(appError(() => twilio.parse(inbound(S_URL, { body: "From=a&From=b&Body=x" }), gateway()))).toMatchObject({
      status: 400,
      code: "ambiguous_parameter",
    });
  });

  it("answers in TwiML: 200 text/xml with an empty <Response>", async () => {
    const response = twilio.respond(null);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/xml");
    expect(await response.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
  });
});

describe("twilio through the pipeline (PGlite)", () => {
  const PUBLIC_URL = "https://numbox.example.com";
  const GATEWAY = "twilio-test";
  const NUMBER = "+14155550100";

  const pipeline = pipelineDatabase(PUBLIC_URL, async (db) => {
    await createGateway(db, { id: GATEWAY, kind: "twilio", secret: TOKEN });
    await createNumber(db, { number: NUMBER, gateway: GATEWAY });
  });

  /** Twilio's request as it reaches us behind a proxy: signed over the public URL. */
  function twilioRequest(
    params: Record<string, string>,
    options: { method?: string; signature?: string; contentType?: string } = {},
  ) {
    const method = options.method ?? "POST";
    const publicUrl = `${PUBLIC_URL}/api/inbound/${GATEWAY}`;
    if (method === "GET") {
      const query = form(params);
      return new Request(`http://127.0.0.1:3000/api/inbound/${GATEWAY}?${query}`, {
        method,
        headers: { "X-Twilio-Signature": options.signature ?? sign(TOKEN, `${publicUrl}?${query}`) },
      });
    }
    return new Request(`http://127.0.0.1:3000/api/inbound/${GATEWAY}`, {
      method,
      headers: {
        "Content-Type": options.contentType ?? "application/x-www-form-urlencoded; charset=UTF-8",
        "X-Twilio-Signature": options.signature ?? sign(TOKEN, publicUrl, params),
      },
      body: form(params),
    });
  }

  function send(request: Request): Promise<Response> {
    return pipeline.ingest(GATEWAY, request);
  }

  async function rowsWith(sourceKey: string) {
    return pipeline.db.select().from(messages).where(eq(messages.sourceKey, sourceKey));
  }

  it("stores the golden request once, answers TwiML, and answers a retry the same", async () => {
    const first = await send(twilioRequest(sParams));
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("text/xml");
    expect(await first.text()).toBe(EMPTY_TWIML);

    const page = await pipeline.inbox(NUMBER);
    const stored = page.messages.find((m) => m.text === "Hello & welcome — café ✓");
    expect(stored).toMatchObject({ number: NUMBER, from: "+14155550199", text: "Hello & welcome — café ✓" });
    const [row] = await rowsWith("SM0123456789abcdef0123456789abcdef");
    expect(row).toMatchObject({ segments: 1, gatewayId: GATEWAY });

    const retry = await send(twilioRequest(sParams));
    expect(retry.status).toBe(200);
    expect(await retry.text()).toBe(EMPTY_TWIML);
    expect(await rowsWith("SM0123456789abcdef0123456789abcdef")).toHaveLength(1);
  });

  it("answers 409 for the same MessageSid with another text", async () => {
    const response = await send(twilioRequest({ ...sParams, Body: "Something else" }));
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: "idempotency_conflict" });
    expect(await rowsWith("SM0123456789abcdef0123456789abcdef")).toHaveLength(1);
  });

  it("stores a GET request", async () => {
    const params = {
      MessageSid: "SMget0000000000000000000000000000",
      From: "+14155550199",
      To: NUMBER,
      Body: "via GET",
    };
    const response = await send(twilioRequest(params, { method: "GET" }));
    expect(response.status).toBe(200);
    expect(await rowsWith(params.MessageSid)).toMatchObject([{ text: "via GET", sender: "+14155550199" }]);
  });

  it("accepts what must be accepted: short codes, names, WhatsApp, empty and Unicode texts", async () => {
    const cases = [
      { From: "12345", Body: "Your code is 123456" },
      { From: "VM-HDFCBK", Body: "" },
      { From: "whatsapp:+14155550199", Body: "👋🏽 مرحبا Привет 你好 €[]{}~ \u200f" },
      { From: "+447700900001", Body: "   " },
    ];
    for (const [i, c] of cases.entries()) {
      const sid = `SMmust${i}`.padEnd(34, "0");
      const response = await send(twilioRequest({ MessageSid: sid, To: NUMBER, ...c }));
      expect(response.status, JSON.stringify(c)).toBe(200);
      expect(await rowsWith(sid)).toMatchObject([{ sender: c.From, text: c.Body }]);
    }
  });

  it("refuses a forged request (403) without storing or quarantining it", async () => {
    const before = (await listQuarantine(pipeline.db)).length;
    const params = { MessageSid: "SMforged", From: "+14155550199", To: NUMBER, Body: "forged" };
    const response = await send(
      twilioRequest(params, { signature: sign("wrong token", `${PUBLIC_URL}/api/inbound/${GATEWAY}`, params) }),
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: "bad_signature" });
    expect(await rowsWith("SMforged")).toHaveLength(0);
    expect(await listQuarantine(pipeline.db)).toHaveLength(before);
  });

  it("answers 401 without a signature", async () => {
    const request = new Request(`${PUBLIC_URL}/api/inbound/${GATEWAY}`, {
      method: "POST",
      headers: { "Content-Type": FORM },
      body: S_BODY,
    });
    const response = await send(request);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "missing_credentials" });
  });

  it("quarantines an authenticated message for a number that is not ours (422), and one without Body", async () => {
    const stranger = await send(
      twilioRequest({ MessageSid: "SMstranger", From: "+14155550199", To: "+14155550123", Body: "x" }),
    );
    expect(stranger.status).toBe(422);
    expect(await stranger.json()).toMatchObject({ error: "unknown_recipient" });
    const noBody = await send(
      twilioRequest({ MessageSid: "SMnobody", From: "+14155550199", To: NUMBER, SmsStatus: "received" }),
    );
    expect(noBody.status).toBe(422);
    expect(await noBody.json()).toMatchObject({ error: "missing_text" });
    const quarantined = await listQuarantine(pipeline.db);
    expect(quarantined.slice(0, 2).map((q) => q.error)).toEqual(["missing_text", "unknown_recipient"]);
  });

  it("answers 415 for another content type and 405 for another method", async () => {
    const multipart = await send(twilioRequest(sParams, { contentType: "multipart/form-data; boundary=x" }));
    expect(multipart.status).toBe(415);
    expect(await multipart.json()).toMatchObject({ error: "unsupported_media_type" });
    const put = await send(twilioRequest(sParams, { method: "PUT" }));
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("POST, GET");
  });

  it("ignores a status callback with 200 TwiML and stores nothing", async () => {
    const params = {
      MessageSid: "SMstatus",
      MessageStatus: "delivered",
      SmsStatus: "delivered",
      From: NUMBER,
      To: "+14155550199",
    };
    const response = await send(twilioRequest(params));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(EMPTY_TWIML);
    expect(await rowsWith("SMstatus")).toHaveLength(0);
  });
});
