import { createHash, createHmac } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { messageParts, messages } from "@/db/schema";
import { createGateway } from "@/lib/admin/gateways";
import { createNumber } from "@/lib/admin/numbers";
import type { Message } from "@/lib/inbox/message";
import { databaseReader, liveInboxes } from "@/lib/live/inboxes";
import type { GatewayAuth } from "../adapter";
import type { InboundMessage } from "../message";
import { listQuarantine } from "../quarantine";
import { toInboundRequest } from "../request";
import { udhConcatenation } from "../udh";
import {
  binaryText,
  signedQuery,
  VONAGE_SIGNATURE_METHODS,
  vonageSignature,
  vonageSms,
  type VonageSignatureMethod,
} from "./vonage-sms";
import { appError, pipelineDatabase } from "@/lib/testing/adapters";

// docs/ingest-sources.md §2a [O]: vonage-node-sdk `packages/sms/__tests__/__dataSets__/signature.ts`.
const SECRET = "my_secret_key_for_testing";
const PARAMS: Record<string, string> = {
  "message-timestamp": "2013-11-21 15:27:30",
  messageId: "020000001B0FE827",
  msisdn: "14843472194",
  text: "Test again",
  timestamp: "1385047698",
  to: "13239877404",
  type: "text",
};
const SIGNED =
  "&message-timestamp=2013-11-21 15:27:30&messageId=020000001B0FE827&msisdn=14843472194&text=Test again&timestamp=1385047698&to=13239877404&type=text";
const SIGS: Record<VonageSignatureMethod, string> = {
  md5hash: "d2e7b1dc968737c5998ad624e02f90b7",
  md5: "DDEBD46008C2D4E93CCE578A332A52D5",
  sha1: "27D0D05C2876C7CB1720DBCDBA4D492E1E55C09A",
  sha256: "DDB8397C2B90AAC7F3882D306475C9A5058C92322EEF43C92B298B6E0FC0D330",
  sha512:
    "E0D3C650F8C9D1A5C174D10DDDBFB003E561F59B265616208B0487C5D819481CD3C311D59CF6165ECD1139622D5BA3A256C0D763AC4A9AD9144B5A426B94FE82",
};
const AT_VECTOR = new Date(1_385_047_698_000);
const URL_BASE = "https://numbox.example/api/inbound/vonage-1";

function gateway(config: Record<string, unknown> = {}, secrets: string[] = [SECRET]): GatewayAuth {
  return { id: "vonage-1", kind: "vonage-sms", apiKeyHashes: [hash("the-key")], secrets, config };
}
const hash = (key: string) => createHash("sha256").update(key).digest("hex");

const form = (params: Record<string, string>) =>
  Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&");

/** Signs like Vonage (written here from the algorithm, independently of the adapter's code). */
function signParams(
  params: Record<string, string>,
  method: VonageSignatureMethod,
  secret = SECRET,
): Record<string, string> {
  const query = Object.keys(params)
    .sort()
    .map((k) => `&${k}=${params[k]!.replace(/[&=]/g, "_")}`)
    .join("");
  const sig =
    method === "md5hash"
      ? createHash("md5")
          .update(query + secret)
          .digest("hex")
      : createHmac(method, secret).update(query).digest("hex");
  return { ...params, sig };
}

function get(query: string, now = AT_VECTOR, headers: Record<string, string> = {}) {
  const request = new Request(`${URL_BASE}?${query}`, { headers });
  return toInboundRequest(request, new Uint8Array(), new URL(URL_BASE).origin, now);
}

function post(body: string, contentType: string, now = AT_VECTOR, query = "") {
  const bytes = new TextEncoder().encode(body);
  const url = `${URL_BASE}${query ? `?${query}` : ""}`;
  const request = new Request(url, { method: "POST", headers: { "content-type": contentType }, body: bytes });
  return toInboundRequest(request, bytes, new URL(URL_BASE).origin, now);
}

function without(params: Record<string, string>, name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter(([k]) => k !== name));
}

function parsed(request: ReturnType<typeof get>): InboundMessage {
  const result = vonageSms.parse(request, gateway());
  if (!("messages" in result)) throw new Error(`ignored: ${result.ignored}`);
  expect(result.messages).toHaveLength(1);
  return result.messages[0]!;
}

describe("vonage-sms signature (sig parameter)", () => {
  it("builds the published signed string", () => {
    expect(signedQuery(new Map(Object.entries({ ...PARAMS, sig: "x" })))).toBe(SIGNED);
  });

  it.each(VONAGE_SIGNATURE_METHODS)("computes the published %s vector", (method) => {
    expect(vonageSignature(SIGNED, SECRET, method)).toBe(SIGS[method].toLowerCase());
  });

  it.each(VONAGE_SIGNATURE_METHODS)(
    "accepts the %s vector as GET, POST form and POST-JSON (clock pinned)",
    (method) => {
      const config = { signatureMethod: method };
      const params = { ...PARAMS, sig: SIGS[method] };
      expect(() => vonageSms.authenticate(get(form(params)), gateway(config))).not.toThrow();
      expect(() =>
        vonageSms.authenticate(post(form(params), "application/x-www-form-urlencoded"), gateway(config)),
      ).not.toThrow();
      expect(() =>
        vonageSms.authenticate(post(JSON.stringify(params), "application/json"), gateway(config)),
      ).not.toThrow();
      // Vonage's SDK compares case-insensitively.
      const lower = { ...PARAMS, sig: SIGS[method].toLowerCase() };
      expect(() => vonageSms.authenticate(get(form(lower)), gateway(config))).not.toThrow();
    },
  );

  it("accepts the previous secret during a rotation", () => {
    const params = { ...PARAMS, sig: SIGS.sha256 };
    expect(() =>
      vonageSms.authenticate(get(form(params)), gateway({ signatureMethod: "sha256" }, ["new-secret", SECRET])),
    ).not.toThrow();
  });

  it("rejects a one-byte change of a value, of the signature, a wrong secret or a wrong method (403)", () => {
    const config = { signatureMethod: "sha256" };
    const tamperedText = { ...PARAMS, text: "Test agaim", sig: SIGS.sha256 };
    expect(appError(() => vonageSms.authenticate(get(form(tamperedText)), gateway(config)))).toMatchObject({
      status: 403,
      code: "bad_signature",
    });
    const tamperedSig = { ...PARAMS, sig: `${SIGS.sha256.slice(0, -1)}1` };
    expect(appError(() => vonageSms.authenticate(get(form(tamperedSig)), gateway(config)))).toMatchObject({
      status: 403,
      code: "bad_signature",
    });
    const extra = { ...PARAMS, keyword: "TEST", sig: SIGS.sha256 };
    expect(appError(() => vonageSms.authenticate(get(form(extra)), gateway(config)))).toMatchObject({ status: 403 });
    const params = { ...PARAMS, sig: SIGS.sha256 };
    expect(appError(() => vonageSms.authenticate(get(form(params)), gateway(config, ["wrong-secret"])))).toMatchObject({
      status: 403,
    });
    expect(
      appError(() =>
        vonageSms.authenticate(get(form({ ...PARAMS, sig: SIGS.md5 })), gateway({ signatureMethod: "md5hash" })),
      ),
    ).toMatchObject({
      status: 403,
    });
  });

  it("refuses a timestamp more than 5 minutes off (401 stale_request), after checking the signature", () => {
    const params = form({ ...PARAMS, sig: SIGS.sha256 });
    const config = { signatureMethod: "sha256" };
    expect(() =>
      vonageSms.authenticate(get(params, new Date(AT_VECTOR.getTime() + 300_000)), gateway(config)),
    ).not.toThrow();
    expect(
      appError(() => vonageSms.authenticate(get(params, new Date(AT_VECTOR.getTime() + 301_000)), gateway(config))),
    ).toMatchObject({
      status: 401,
      code: "stale_request",
    });
    expect(
      appError(() => vonageSms.authenticate(get(params, new Date(AT_VECTOR.getTime() - 301_000)), gateway(config))),
    ).toMatchObject({
      status: 401,
    });
    // A wider window when the operator configured one.
    const wide = { signatureMethod: "sha256", timestampWindowSeconds: 86_400 };
    expect(() =>
      vonageSms.authenticate(get(params, new Date(AT_VECTOR.getTime() + 3_600_000)), gateway(wide)),
    ).not.toThrow();
  });

  it("answers malformed and missing signatures with 400 and 401", () => {
    const config = { signatureMethod: "sha256" };
    const cases: [Record<string, string>, number, string][] = [
      [{ ...PARAMS, sig: "not-hex" }, 400, "malformed_signature"],
      [{ ...PARAMS, sig: SIGS.sha1 }, 400, "malformed_signature"], // a sha1 digest where sha256 is configured
      [PARAMS, 401, "missing_credentials"],
      [signParams({ ...PARAMS, timestamp: "yesterday" }, "sha256"), 400, "malformed_signature"],
    ];
    for (const [params, status, code] of cases) {
      expect(appError(() => vonageSms.authenticate(get(form(params)), gateway(config)))).toMatchObject({
        status,
        code,
      });
    }
    expect(
      appError(() =>
        vonageSms.authenticate(get(form(signParams(without(PARAMS, "timestamp"), "sha256"))), gateway(config)),
      ),
    ).toMatchObject({
      status: 400,
      code: "malformed_signature",
    });
  });

  it("lets Vonage's bare URL check through a signed gateway (nothing is stored)", () => {
    expect(() => vonageSms.authenticate(get(""), gateway({ signatureMethod: "sha256" }))).not.toThrow();
    expect(vonageSms.parse(get(""), gateway())).toEqual({ ignored: expect.stringContaining("empty") });
  });

  it("without a signature method, takes the gateway's API key from the URL or a bearer header", () => {
    expect(() => vonageSms.authenticate(get(`key=the-key&${form(PARAMS)}`), gateway())).not.toThrow();
    expect(() =>
      vonageSms.authenticate(
        post(form(PARAMS), "application/x-www-form-urlencoded", AT_VECTOR, "key=the-key"),
        gateway(),
      ),
    ).not.toThrow();
    expect(() =>
      vonageSms.authenticate(get(form(PARAMS), AT_VECTOR, { authorization: "Bearer the-key" }), gateway()),
    ).not.toThrow();
    expect(appError(() => vonageSms.authenticate(get(form(PARAMS)), gateway()))).toMatchObject({
      status: 401,
      code: "missing_credentials",
    });
    expect(appError(() => vonageSms.authenticate(get(`key=wrong&${form(PARAMS)}`), gateway()))).toMatchObject({
      status: 401,
      code: "bad_key",
    });
  });

  it("refuses an unknown signature method when the gateway is created", () => {
    expect(vonageSms.configSchema!.safeParse({ signatureMethod: "sha256" }).success).toBe(true);
    expect(vonageSms.configSchema!.safeParse({ signatureMethod: "sha384" }).success).toBe(false);
    expect(vonageSms.configSchema!.safeParse({ signatureMethd: "sha256" }).success).toBe(false);
  });
});

describe("vonage-sms parse", () => {
  const golden = {
    msisdn: "447700900001",
    to: "447700900000",
    messageId: "0A0000000123ABCD1",
    text: "Hello world",
    type: "text",
    keyword: "HELLO",
    "api-key": "abcd1234",
    "message-timestamp": "2020-01-01 12:00:00",
  };
  const canonical = {
    to: "447700900000",
    from: "+447700900001",
    text: "Hello world",
    receivedAt: new Date("2020-01-01T12:00:00Z"),
    sourceKey: "0A0000000123ABCD1",
    segments: 1,
  };

  it("reads the golden request the same as GET, POST form and POST-JSON", () => {
    expect(parsed(get(form(golden)))).toEqual(canonical);
    expect(parsed(post(form(golden), "application/x-www-form-urlencoded"))).toEqual(canonical);
    expect(parsed(post(JSON.stringify(golden), "application/json"))).toEqual(canonical);
  });

  it("reads the signed vector (message-timestamp is UTC without a zone)", () => {
    expect(parsed(get(form({ ...PARAMS, sig: SIGS.sha256 })))).toEqual({
      to: "13239877404",
      from: "+14843472194",
      text: "Test again",
      receivedAt: new Date("2013-11-21T15:27:30Z"),
      sourceKey: "020000001B0FE827",
      segments: 1,
    });
  });

  it("keeps short codes and alphanumeric senders, exact Unicode and form-special characters", () => {
    const text = 'Код: 4821 🔐 € [x] {y} ~ & = % + "q"\nline 2 \u200f';
    const m = parsed(get(form({ ...golden, msisdn: "VM-HDFCBK", text, type: "unicode" })));
    expect(m).toMatchObject({ from: "VM-HDFCBK", text });
    expect(parsed(get(form({ ...golden, msisdn: "32665" }))).from).toBe("32665");
    expect(parsed(get("msisdn=447700900001&to=447700900000&text=a+b%2Bc&type=text")).text).toBe("a b+c");
    expect(parsed(get(form({ ...golden, text: "" }))).text).toBe("");
  });

  it("reads an unreadable message-timestamp as no time, not an error", () => {
    expect(parsed(get(form({ ...golden, "message-timestamp": "yesterday" }))).receivedAt).toBeNull();
  });

  it("turns concat-* into a part, and a unicode part into its UTF-16 units", () => {
    const part = { ...golden, concat: "true", "concat-ref": "108", "concat-total": "3", "concat-part": "2" };
    expect(parsed(get(form(part)))).toMatchObject({ segments: null, part: { ref: "108", total: 3, part: 2 } });
    expect(parsed(get(form(part))).part?.ucs2).toBeUndefined();
    const unicode = parsed(post(JSON.stringify({ ...part, type: "unicode", text: "ab\ud83d" }), "application/json"));
    expect(unicode.text).toBe("ab\ufffd");
    expect(Buffer.from(unicode.part!.ucs2!).toString("hex")).toBe("00610062d83d");
    expect(
      parsed(get(form({ ...golden, "concat-ref": "1", "concat-total": "1", "concat-part": "1" }))).part,
    ).toBeUndefined();
  });

  it("reads a binary message: hex data, the concatenation element of its UDH", () => {
    const binary = { ...without(golden, "text"), type: "binary", data: "48656c6c6f", udh: "050003cc0201" };
    expect(parsed(get(form(binary)))).toMatchObject({ text: "Hello", part: { ref: "204", total: 2, part: 1 } });
    expect(udhConcatenation(Buffer.from("06080401020302", "hex"))).toEqual({ ref: "258", total: 3, part: 2 });
    expect(udhConcatenation(Buffer.from("06050415810000", "hex"))).toBeNull(); // only a port-addressing element
    expect(binaryText(Buffer.from("0102ff", "hex"))).toBe("[binary SMS, 3 bytes] 0102FF");
  });

  it("ignores delivery receipts and an empty request (200, nothing stored)", () => {
    const dlr = {
      msisdn: "447700900001",
      to: "AcmeInc",
      messageId: "0A0000001234567B",
      status: "delivered",
      "err-code": "0",
    };
    expect(vonageSms.parse(get(form(dlr)), gateway())).toEqual({
      ignored: expect.stringContaining("delivery receipt"),
    });
    expect(vonageSms.parse(get("key=the-key"), gateway())).toEqual({ ignored: expect.stringContaining("empty") });
  });

  it("answers bad input with the §16.6 statuses", () => {
    const cases: [ReturnType<typeof get>, number, string][] = [
      [get("msisdn=447700900001&text=%E0%A4%A&to=447700900000"), 400, "malformed_body"],
      [get("msisdn=447700900001&msisdn=447700900002&text=x"), 400, "ambiguous_parameter"],
      [post("{not json", "application/json"), 400, "malformed_body"],
      [post('{"text":{"a":1}}', "application/json"), 400, "malformed_body"],
      [
        get(form({ ...golden, concat: "true", "concat-ref": "1", "concat-total": "two", "concat-part": "1" })),
        422,
        "bad_concat_metadata",
      ],
      [get(form({ ...golden, concat: "true" })), 422, "bad_concat_metadata"],
      [get(form({ ...golden, type: "binary", data: "xyz" })), 422, "bad_binary_encoding"],
      [get(form({ ...golden, type: "binary", data: "abc" })), 422, "bad_binary_encoding"],
      [get(form({ ...golden, type: "binary", data: "00", udh: "0500030102" })), 422, "bad_binary_encoding"],
      [get(form({ ...golden, type: "binary", data: "00", udh: "0400030102" })), 422, "bad_binary_encoding"],
    ];
    for (const [request, status, code] of cases) {
      expect(appError(() => vonageSms.parse(request, gateway()))).toMatchObject({ status, code });
    }
    const bytes = new Uint8Array([...new TextEncoder().encode("msisdn=1&text="), 0xff]);
    const badUtf8 = toInboundRequest(
      new Request(URL_BASE, { method: "POST", headers: { "content-type": "application/json" }, body: bytes }),
      bytes,
      new URL(URL_BASE).origin,
    );
    expect(appError(() => vonageSms.parse(badUtf8, gateway()))).toMatchObject({ status: 400, code: "invalid_utf8" });
  });

  it("leaves a missing sender or text to validation (422 missing_sender / missing_text)", () => {
    expect(parsed(get(form(without(golden, "msisdn")))).from).toBeUndefined();
    expect(parsed(get(form(without(golden, "text")))).text).toBeUndefined();
    expect(parsed(get(form({ ...golden, type: "binary" }))).text).toBeUndefined();
  });

  it("answers 204 No Content", async () => {
    const response = vonageSms.respond({ accepted: 1, duplicates: 0, ids: [1], stored: [], before: new Map() });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
  });
});

describe("vonage-sms through the pipeline (PGlite)", () => {
  const PUBLIC_URL = "https://numbox.example";
  const NUMBER = "+447911123456"; // a valid GB mobile: the docs' 447700900000 is a drama number libphonenumber refuses
  const SIGNED_NUMBER = "+13239877404";
  let apiKey: string;

  const pipeline = pipelineDatabase(PUBLIC_URL, async (db) => {
    apiKey = (await createGateway(db, { id: "vonage-1", kind: "vonage-sms" })).apiKey;
    await createNumber(db, { number: NUMBER, gateway: "vonage-1" });
    await createGateway(db, {
      id: "vonage-signed",
      kind: "vonage-sms",
      secret: SECRET,
      config: { signatureMethod: "sha512" },
    });
    await createNumber(db, { number: SIGNED_NUMBER, gateway: "vonage-signed" });
  });

  async function send(
    gatewayId: string,
    method: "GET" | "POST" | "PUT",
    query: string,
    body?: string,
    contentType?: string,
  ) {
    // Arrives on an internal address: what is verified is PUBLIC_URL + path + query, never the Host.
    const request = new Request(`http://10.0.0.7:3000/api/inbound/${gatewayId}${query ? `?${query}` : ""}`, {
      method,
      ...(body === undefined
        ? {}
        : { body, headers: { "content-type": contentType ?? "application/x-www-form-urlencoded; charset=UTF-8" } }),
    });
    return pipeline.ingest(gatewayId, request);
  }
  const keyed = (params: Record<string, string>) => `key=${encodeURIComponent(apiKey)}&${form(params)}`;
  const inbox = async (number = NUMBER) => (await pipeline.inbox(number, 100)).messages;
  const message = (fields: Record<string, string>) => ({
    msisdn: "447700900001",
    to: NUMBER.slice(1),
    messageId: "0A00000001",
    text: "Your code is 123456",
    type: "text",
    keyword: "YOUR",
    "message-timestamp": "2026-11-22 10:00:00",
    ...fields,
  });

  it("stores the golden GET once, answers 204, and 204 again to a retry", async () => {
    const first = await send("vonage-1", "GET", keyed(message({})));
    expect(first.status).toBe(204);
    expect(await first.text()).toBe("");
    const retry = await send("vonage-1", "GET", keyed(message({})));
    expect(retry.status).toBe(204);

    const stored = await inbox();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      number: NUMBER,
      from: "+447700900001",
      text: "Your code is 123456",
      code: "123456",
      receivedAt: "2026-11-22T10:00:00.000Z",
    });
    const [row] = await pipeline.db.select().from(messages).where(eq(messages.sourceKey, "0A00000001"));
    expect(row).toMatchObject({ gatewayId: "vonage-1", segments: 1 });
  });

  it("answers the same messageId with other content 409 idempotency_conflict", async () => {
    const response = await send("vonage-1", "GET", keyed(message({ text: "Your code is 654321" })));
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: "idempotency_conflict" });
    expect(await inbox()).toHaveLength(1);
  });

  it("takes POST form and POST-JSON with the key in the URL", async () => {
    const formBody = form(message({ messageId: "0A00000002", text: "via form" }));
    expect((await send("vonage-1", "POST", `key=${apiKey}`, formBody)).status).toBe(204);
    const json = JSON.stringify(message({ messageId: "0A00000003", text: "via json" }));
    expect((await send("vonage-1", "POST", `key=${apiKey}`, json, "application/json")).status).toBe(204);
    expect((await inbox()).map((m) => m.text).slice(0, 2)).toEqual(["via json", "via form"]);
  });

  it("checks a signed webhook against a fresh timestamp, and refuses forgeries and stale ones", async () => {
    const now = String(Math.floor(Date.now() / 1000));
    const params = {
      ...PARAMS,
      messageId: "0B00000001",
      timestamp: now,
      nonce: "3c1b2a9e-0d7f-4a55-9f6e-1f2a3b4c5d6e",
    };
    const signed = signParams(params, "sha512");
    expect((await send("vonage-signed", "POST", "", form(signed))).status).toBe(204);
    expect((await send("vonage-signed", "GET", form(signed))).status).toBe(204); // a retry, as GET: same message
    expect(await inbox(SIGNED_NUMBER)).toMatchObject([{ from: "+14843472194", text: "Test again" }]);

    const forged = { ...signed, text: "Test agaim", messageId: "0B00000002" };
    expect((await send("vonage-signed", "POST", "", form(forged))).status).toBe(403);
    const stale = signParams({ ...params, messageId: "0B00000003", timestamp: String(Number(now) - 3600) }, "sha512");
    const staleAnswer = await send("vonage-signed", "POST", "", form(stale));
    expect(staleAnswer.status).toBe(401);
    expect(await staleAnswer.json()).toMatchObject({ error: "stale_request" });
    expect((await send("vonage-signed", "POST", "", form(params))).status).toBe(401);
    expect(await inbox(SIGNED_NUMBER)).toHaveLength(1);
  });

  it("refuses PUT (405), another content type (415), and a missing key (401)", async () => {
    const put = await send("vonage-1", "PUT", keyed(message({})), "x", "text/plain");
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, POST");
    expect((await send("vonage-1", "POST", `key=${apiKey}`, "<x/>", "text/xml")).status).toBe(415);
    expect((await send("vonage-1", "GET", form(message({ messageId: "0A00000009" })))).status).toBe(401);
  });

  it("quarantines an authenticated request it cannot store (422), and ignores a delivery receipt", async () => {
    const wrongNumber = await send("vonage-1", "GET", keyed(message({ messageId: "0A00000004", to: "447911999999" })));
    expect(wrongNumber.status).toBe(422);
    expect(await wrongNumber.json()).toMatchObject({ error: "unknown_recipient" });
    const noSender = await send("vonage-1", "GET", keyed({ to: NUMBER.slice(1), text: "x", messageId: "0A00000005" }));
    expect(await noSender.json()).toMatchObject({ error: "missing_sender" });
    const kept = await listQuarantine(pipeline.db);
    expect(kept.map((q) => q.error)).toEqual(expect.arrayContaining(["unknown_recipient", "missing_sender"]));
    expect(kept[0]!.url).toContain("key=***");

    const dlr = await send(
      "vonage-1",
      "GET",
      keyed({ msisdn: "447700900001", to: "Acme", messageId: "0C1", status: "delivered", "err-code": "0" }),
    );
    expect(dlr.status).toBe(204);
  });

  it("joins parts arriving out of order into one message, published once; a retried part is a duplicate", async () => {
    const published: Message[] = [];
    liveInboxes.useReader(databaseReader(pipeline.db));
    const unsubscribe = await liveInboxes.subscribe(NUMBER, (m) => published.push(m));
    try {
      const part = (n: number, text: string) =>
        message({
          messageId: `0D0000000${n}`,
          text,
          concat: "true",
          "concat-ref": "77",
          "concat-total": "2",
          "concat-part": String(n),
        });
      const before = (await inbox()).length;

      expect((await send("vonage-1", "GET", keyed(part(2, "world, your code is 777111")))).status).toBe(204);
      expect(await inbox()).toHaveLength(before);

      expect((await send("vonage-1", "GET", keyed(part(1, "Hello ")))).status).toBe(204);
      const after = await inbox();
      expect(after).toHaveLength(before + 1);
      expect(after[0]).toMatchObject({
        text: "Hello world, your code is 777111",
        code: "777111",
        from: "+447700900001",
      });

      expect((await send("vonage-1", "GET", keyed(part(2, "world, your code is 777111")))).status).toBe(204);
      expect(await inbox()).toHaveLength(before + 1);
      const conflicting = await send("vonage-1", "GET", keyed(part(2, "world, your code is 000000")));
      expect(conflicting.status).toBe(409);
      // A plain message after it all: once it is live, everything before it has been delivered.
      expect(
        (await send("vonage-1", "GET", keyed(message({ messageId: "0D00000009", text: "after the parts" })))).status,
      ).toBe(204);
      await vi.waitFor(() => expect(published.at(-1)?.text).toBe("after the parts"), { timeout: 10_000 });
      expect(published.map((m) => m.text)).toEqual(["Hello world, your code is 777111", "after the parts"]);

      const [row] = await pipeline.db.select().from(messages).where(eq(messages.id, after[0]!.id));
      expect(row).toMatchObject({ segments: 2, incomplete: false });
      const parts = await pipeline.db.select().from(messageParts).where(eq(messageParts.ref, "77"));
      expect(parts.map((p) => p.sourceKey).sort()).toEqual(["0D00000001", "0D00000002"]);
      expect(parts[0]!.expiresAt.getTime() - parts[0]!.createdAt.getTime()).toBeGreaterThan(23 * 3600 * 1000);
    } finally {
      unsubscribe();
    }
  });

  it("rejoins an emoji split across two unicode parts (UTF-16 units joined before decoding)", async () => {
    const part = (n: number, text: string) =>
      JSON.stringify(
        message({
          messageId: `0E0000000${n}`,
          type: "unicode",
          text,
          concat: "true",
          "concat-ref": "9",
          "concat-total": "2",
          "concat-part": String(n),
        }),
      );
    // "Код 🔐 4821": the lock's surrogate pair straddles the two parts.
    const first = part(1, "Код \ud83d");
    expect(first).toContain("\\ud83d"); // JSON carries the lone half as an escape
    expect((await send("vonage-1", "POST", `key=${apiKey}`, part(2, "\udd10 4821"), "application/json")).status).toBe(
      204,
    );
    expect((await send("vonage-1", "POST", `key=${apiKey}`, first, "application/json")).status).toBe(204);
    expect((await inbox())[0]).toMatchObject({ text: "Код 🔐 4821", code: "4821" });
  });

  it("joins binary parts whose concatenation is in the UDH", async () => {
    const part = (n: number, hex: string) => ({
      msisdn: "447700900002",
      to: NUMBER.slice(1),
      messageId: `0F0000000${n}`,
      type: "binary",
      data: hex,
      udh: `050003aa020${n}`,
    });
    expect((await send("vonage-1", "GET", keyed(part(1, Buffer.from("Binary ").toString("hex"))))).status).toBe(204);
    expect((await send("vonage-1", "GET", keyed(part(2, Buffer.from("joined").toString("hex"))))).status).toBe(204);
    expect((await inbox())[0]).toMatchObject({ from: "+447700900002", text: "Binary joined" });
    const bad = await send("vonage-1", "GET", keyed({ ...part(3, "zz"), messageId: "0F00000009" }));
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ error: "bad_binary_encoding" });
  });
});
