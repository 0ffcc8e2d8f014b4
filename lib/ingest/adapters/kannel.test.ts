import { describe, expect, it } from "vitest";
import { messageParts, messages } from "@/db/schema";
import { createGateway } from "@/lib/admin/gateways";
import { hashKey } from "@/lib/security/secrets";
import { createNumber } from "@/lib/admin/numbers";
import type { GatewayAuth } from "../adapter";
import type { InboundMessage } from "../message";
import { listQuarantine } from "../quarantine";
import { toInboundRequest } from "../request";
import { kannel } from "./kannel";
import { appError, pipelineDatabase } from "@/lib/testing/adapters";

const PUBLIC_URL = "https://numbox.example";
const KEY = "nbx_kannel-test-key-0123456789abcdefghijklmnopqrstu";
const PREVIOUS_KEY = "nbx_kannel-previous-key-0123456789abcdefghijklmnop";
const ID = "7f6b2a50-0d3c-4c1e-9a57-5b8e2f1c0a11";
const AT = new Date("2026-11-22T10:00:30Z");

/** Kannel's octstr_url_encode (gwlib/octstr.c): alphanumerics and -_.!~*'() as they are, space as '+', the rest %XX. */
function kannelEncode(bytes: Uint8Array | string): string {
  const data = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
  let out = "";
  for (const b of data) {
    const c = String.fromCharCode(b);
    if (b === 0x20) out += "+";
    else if (/[A-Za-z0-9\-_.!~*'()]/.test(c)) out += c;
    else out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s/g, ""), "hex"));
const utf16be = (s: string) => Uint8Array.from(Buffer.from(s, "utf16le").swap16());

/** The recommended get-url with its escape codes filled in the way smsbox fills them. */
function getUrl(
  fields: Record<string, string | Uint8Array | undefined>,
  key: string | null = KEY,
  gatewayId = "kannel-1",
): string {
  const query = [
    ...(key === null ? [] : [`key=${key}`]),
    ...Object.entries(fields)
      .filter((e): e is [string, string | Uint8Array] => e[1] !== undefined)
      .map(([name, value]) => `${name}=${kannelEncode(value)}`),
  ].join("&");
  return `${PUBLIC_URL}/api/inbound/${gatewayId}?${query}`;
}

const GOLDEN = {
  id: ID,
  from: "447700900001",
  to: "998940373339",
  text: "Your code is 51234",
  coding: "0",
  charset: "UTF-8",
  udh: "",
  ts: "1763805600",
  smsc: "modem1",
};

function gateway(apiKeys = [KEY]): GatewayAuth {
  return { id: "kannel-1", kind: "kannel", apiKeyHashes: apiKeys.map(hashKey), secrets: [], config: {} };
}

function get(url: string) {
  return toInboundRequest(new Request(url), new Uint8Array(), PUBLIC_URL, AT);
}

function post(url: string, body: Uint8Array | string, headers: Record<string, string>) {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const request = new Request(url, { method: "POST", headers, body: bytes as Uint8Array<ArrayBuffer> });
  return toInboundRequest(request, bytes, PUBLIC_URL, AT);
}

function only(request: ReturnType<typeof get>): InboundMessage {
  const parsed = kannel.parse(request, gateway());
  if (!("messages" in parsed)) throw new Error(`ignored: ${parsed.ignored}`);
  expect(parsed.messages).toHaveLength(1);
  return parsed.messages[0]!;
}

describe("kannel authentication (API key in the URL)", () => {
  it("accepts the key as ?key= and as a bearer token, and the previous key during a rotation", () => {
    expect(() => kannel.authenticate(get(getUrl(GOLDEN)), gateway())).not.toThrow();
    expect(() => kannel.authenticate(get(getUrl(GOLDEN)), gateway([PREVIOUS_KEY, KEY]))).not.toThrow();
    const bearer = toInboundRequest(
      new Request(getUrl(GOLDEN, null), { headers: { authorization: `Bearer ${KEY}` } }),
      new Uint8Array(),
      PUBLIC_URL,
    );
    expect(() => kannel.authenticate(bearer, gateway())).not.toThrow();
  });

  it("refuses a missing key with 401 missing_credentials", () => {
    const error = appError(() => kannel.authenticate(get(getUrl(GOLDEN, null)), gateway()));
    expect([error.status, error.code]).toEqual([401, "missing_credentials"]);
  });

  it("refuses a wrong key, a one-character change of the key and an emptied one", () => {
    for (const key of ["nbx_someone-else", `${KEY.slice(0, -1)}v`, ""]) {
      const error = appError(() => kannel.authenticate(get(getUrl(GOLDEN, key)), gateway()));
      expect(error.status).toBe(401);
      expect(error.code).toBe(key === "" ? "missing_credentials" : "bad_key");
    }
  });
});

describe("kannel get-url parse", () => {
  it("reads the golden call of the suggested get-url (docs/ingest-sources.md §12)", () => {
    expect(only(get(getUrl(GOLDEN)))).toEqual({
      to: "998940373339",
      from: "+447700900001",
      text: "Your code is 51234",
      receivedAt: new Date(1_763_805_600_000),
      sourceKey: ID,
      part: undefined,
    });
  });

  it("keeps the exact text of %b: newlines, runs of spaces, &=%+ and quotes, emoji, Cyrillic, GSM extension characters", () => {
    const text = "Code: 51234\n\n  a&b=c%d+e \"q\" 'r' 😀 Привет €[]{}~ \u200f";
    expect(only(get(getUrl({ ...GOLDEN, text }))).text).toBe(text);
  });

  it("decodes UCS-2 (coding 2, charset UTF-16BE) from its bytes, emoji included", () => {
    // The UCS-2 user data of the §14 [S] PDU 07919730071111F1040B91…0008…0C041F04400438043204350442.
    const privet = hex("041F04400438043204350442");
    expect(only(get(getUrl({ ...GOLDEN, coding: "2", charset: "UTF-16BE", text: privet }))).text).toBe("Привет");
    const emoji = utf16be("Код 51234 😀");
    expect(only(get(getUrl({ ...GOLDEN, coding: "2", charset: "UTF-16BE", text: emoji }))).text).toBe("Код 51234 😀");
    // Without a charset the coding decides; an unknown charset does not override it.
    expect(only(get(getUrl({ ...GOLDEN, coding: "2", charset: undefined, text: privet }))).text).toBe("Привет");
    expect(only(get(getUrl({ ...GOLDEN, coding: "2", charset: "X-UNKNOWN", text: privet }))).text).toBe("Привет");
  });

  it("decodes the other charsets Kannel names: WINDOWS-1252 (old releases), GSM, 8-bit", () => {
    const cafe = hex("436166E920803130");
    expect(only(get(getUrl({ ...GOLDEN, charset: "WINDOWS-1252", text: cafe }))).text).toBe("Café €10");
    expect(only(get(getUrl({ ...GOLDEN, charset: "GSM", text: hex("00 41 1B65 11 02") }))).text).toBe("@A€_$");
    expect(only(get(getUrl({ ...GOLDEN, coding: "1", charset: "8-BIT", text: cafe }))).text).toBe("Café €10");
    // No charset, bytes that are not UTF-8: read as Windows-1252 rather than refused.
    expect(only(get(getUrl({ ...GOLDEN, charset: undefined, text: cafe }))).text).toBe("Café €10");
  });

  it("takes international senders without '+' as such, keeps short codes, national numbers and names as sent", () => {
    expect(only(get(getUrl({ ...GOLDEN, from: "14155550199" }))).from).toBe("+14155550199");
    expect(only(get(getUrl({ ...GOLDEN, from: "+447700900001" }))).from).toBe("+447700900001");
    for (const from of ["12345", "07911123456", "VM-HDFCBK", "Unknown sender"]) {
      expect(only(get(getUrl({ ...GOLDEN, from }))).from).toBe(from);
    }
  });

  it("leaves out a 'to' that is no phone number (a modem without my-number says 1234)", () => {
    expect(only(get(getUrl({ ...GOLDEN, to: "1234" }))).to).toBeUndefined();
    expect(only(get(getUrl({ ...GOLDEN, to: "+998940373339" }))).to).toBe("+998940373339");
  });

  it("reads %T (unix seconds) and %t; an unreadable time is null, never a refusal", () => {
    expect(only(get(getUrl({ ...GOLDEN, ts: "2026-11-22 10:00:00" }))).receivedAt).toEqual(
      new Date("2026-11-22T10:00:00Z"),
    );
    expect(only(get(getUrl({ ...GOLDEN, ts: "yesterday" }))).receivedAt).toBeNull();
    expect(only(get(getUrl({ ...GOLDEN, ts: undefined }))).receivedAt).toBeNull();
  });

  it("turns parts that bearerbox did not combine into parts (the §14 [S] UDH 05 00 03 2A 02 01)", () => {
    const first = only(get(getUrl({ ...GOLDEN, id: `${ID}-1`, text: "Hello", udh: hex("0500032A0201") })));
    const second = only(get(getUrl({ ...GOLDEN, id: `${ID}-2`, text: " world", udh: hex("0500032A0202") })));
    expect(first).toMatchObject({ text: "Hello", part: { ref: "42", part: 1, total: 2 } });
    expect(second).toMatchObject({ text: " world", part: { ref: "42", part: 2, total: 2 } });
    // A 16-bit reference (IE 08), and a UDH sent as hex rather than raw bytes.
    const wide = only(get(getUrl({ ...GOLDEN, text: "x", udh: "06080412340302" })));
    expect(wide.part).toEqual({ ref: "16:4660", part: 2, total: 3 });
    // A UDH without concatenation, and "part 1 of 1", are whole messages.
    expect(only(get(getUrl({ ...GOLDEN, udh: hex("06050400000000") }))).part).toBeUndefined();
    expect(only(get(getUrl({ ...GOLDEN, udh: hex("050003070101") }))).part).toBeUndefined();
  });

  it("keeps UCS-2 parts as bytes, so a surrogate pair split between two parts can be joined", () => {
    const bytes = utf16be("ab😀cd");
    const first = only(
      get(
        getUrl({ ...GOLDEN, coding: "2", charset: "UTF-16BE", text: bytes.subarray(0, 6), udh: hex("050003070201") }),
      ),
    );
    expect(first.part).toEqual({ ref: "7", part: 1, total: 2, ucs2: bytes.subarray(0, 6) });
    expect(first.text).toBe("ab\ufffd");
  });

  it("acknowledges a delivery report (dlr=%d) without storing it", () => {
    expect(kannel.parse(get(getUrl({ id: ID, dlr: "1" })), gateway())).toEqual({
      ignored: "a Kannel delivery report, not an inbound SMS",
    });
  });

  it("derives the idempotency key from what a retry repeats when the URL has no %I", () => {
    const a = only(get(getUrl({ ...GOLDEN, id: undefined })));
    const b = only(get(getUrl({ ...GOLDEN, id: undefined })));
    const other = only(get(getUrl({ ...GOLDEN, id: undefined, text: "Your code is 51235" })));
    expect(a.sourceKey).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(b.sourceKey).toBe(a.sourceKey);
    expect(other.sourceKey).not.toBe(a.sourceKey);
    // No time either: nothing tells a retry from a second identical SMS, so no key.
    expect(only(get(getUrl({ ...GOLDEN, id: undefined, ts: undefined }))).sourceKey).toBeUndefined();
  });

  it("hands missing fields to validation as missing (422 there), not as empty", () => {
    const m = only(get(getUrl({ id: ID, to: GOLDEN.to })));
    expect(m.from).toBeUndefined();
    expect(m.text).toBeUndefined();
    expect(only(get(getUrl({ ...GOLDEN, text: "" }))).text).toBe("");
  });
});

describe("kannel post-url parse", () => {
  const headers = {
    "content-type": 'text/plain; charset="UTF-8"',
    "x-kannel-from": "447700900001",
    "x-kannel-to": "998940373339",
    "x-kannel-time": "2026-11-22 10:00:00",
    "x-kannel-smsc": "modem1",
    "x-kannel-coding": "0",
    "x-kannel-service": "default",
    "user-agent": "Kannel/1.4.5",
  };
  const url = `${PUBLIC_URL}/api/inbound/kannel-1?key=${KEY}&id=${ID}`;

  it("reads the golden post: text in the body, the rest in X-Kannel-* headers, the id from the URL", () => {
    expect(only(post(url, "Your code is 51234\nBye", headers))).toEqual({
      to: "998940373339",
      from: "+447700900001",
      text: "Your code is 51234\nBye",
      receivedAt: new Date("2026-11-22T10:00:00Z"),
      sourceKey: ID,
      part: undefined,
    });
  });

  it("reads UCS-2 bodies (charset UTF-16BE) and 8-bit ones (application/octet-stream)", () => {
    const ucs2 = { ...headers, "content-type": 'text/plain; charset="UTF-16BE"', "x-kannel-coding": "2" };
    expect(only(post(url, utf16be("Привет 😀"), ucs2)).text).toBe("Привет 😀");
    const octets = { ...headers, "content-type": "application/octet-stream", "x-kannel-coding": "1" };
    expect(only(post(url, hex("436166E9"), octets)).text).toBe("Café");
  });

  it("reads X-Kannel-UDH, which smsbox URL-encodes", () => {
    const part = only(post(url, "Hello", { ...headers, "x-kannel-udh": "%05%00%03%2A%02%01" }));
    expect(part.part).toEqual({ ref: "42", part: 1, total: 2 });
  });

  it("lets the URL's escape codes win over headers, and works without %I (key from the time and content)", () => {
    const m = only(post(`${url}&from=%2B14155550199`, "hi", headers));
    expect(m.from).toBe("+14155550199");
    const noId = only(post(`${PUBLIC_URL}/api/inbound/kannel-1?key=${KEY}`, "hi", headers));
    expect(noId.sourceKey).toMatch(/^sha256:/);
  });

  it("refuses a body that breaks the UTF-8 its charset promises (400 invalid_utf8)", () => {
    const error = appError(() => kannel.parse(post(url, hex("C328"), headers), gateway()));
    expect([error.status, error.code]).toEqual([400, "invalid_utf8"]);
  });
});

describe("kannel bad input (docs/ingest-sources.md §16.6)", () => {
  const cases: [string, string, number, string][] = [
    ["#11 a bad %-escape", `${getUrl(GOLDEN)}&x=%ZZ`, 400, "malformed_body"],
    ["#11 a field that must be text is not UTF-8", getUrl({ ...GOLDEN, from: hex("FF41") }), 400, "malformed_body"],
    ["#13 a parameter repeated with another value", `${getUrl(GOLDEN)}&from=447700900002`, 400, "ambiguous_parameter"],
    [
      "#18 a UDH whose length byte disagrees",
      getUrl({ ...GOLDEN, udh: hex("0600032A0201") }),
      422,
      "bad_binary_encoding",
    ],
    ["#18 a UDH element that overruns it", getUrl({ ...GOLDEN, udh: hex("03000301") }), 422, "bad_binary_encoding"],
    ["#18 a UDH that is neither bytes nor hex", getUrl({ ...GOLDEN, udh: "zz" }), 422, "bad_binary_encoding"],
    [
      "#19 UCS-2 with an odd byte count",
      getUrl({ ...GOLDEN, coding: "2", charset: "UTF-16BE", text: hex("041F04") }),
      422,
      "bad_ucs2",
    ],
    [
      "#19 UCS-2 with a lone surrogate",
      getUrl({ ...GOLDEN, coding: "2", charset: "UTF-16BE", text: hex("D83D0041") }),
      422,
      "bad_ucs2",
    ],
    [
      "#19 a UCS-2 part with an odd byte count",
      getUrl({ ...GOLDEN, coding: "2", charset: "UTF-16BE", text: hex("041F04"), udh: hex("0500032A0201") }),
      422,
      "bad_ucs2",
    ],
  ];
  for (const [name, url, status, code] of cases) {
    it(`${name} → ${status} ${code}`, () => {
      const error = appError(() => kannel.parse(get(url), gateway()));
      expect([error.status, error.code]).toEqual([status, code]);
    });
  }

  it("a repeated parameter with the same value is fine", () => {
    expect(only(get(`${getUrl(GOLDEN)}&from=447700900001`)).from).toBe("+447700900001");
  });
});

describe("kannel answer", () => {
  it("is 200 with an empty text/plain body, so that smsbox sends no reply SMS", async () => {
    const response = kannel.respond({ accepted: 1, duplicates: 0, ids: [1], stored: [], before: new Map() });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain");
    expect(response.headers.get("content-length")).toBe("0");
    expect(await response.text()).toBe("");
    expect(await kannel.respond(null).text()).toBe("");
  });

  it("documents max-messages = 0, a catch-all keyword and the key in the get-url", () => {
    const code = kannel.setup.snippets!.map((s) => s.code).join("\n");
    expect(code).toContain("max-messages = 0");
    expect(code).toContain("keyword = default");
    expect(code).toContain('get-url = "{webhookUrl}&id=%I&from=%p&to=%P&text=%b');
    expect(kannel.setup.urlSuffix).toBe("?key=<API key>");
  });
});

describe("kannel through the pipeline (PGlite)", () => {
  const NUMBER = "+998940373339";

  const pipeline = pipelineDatabase(PUBLIC_URL, async (db) => {
    await createGateway(db, { id: "kannel-1", kind: "kannel" }, { apiKey: KEY });
    await createNumber(db, { number: NUMBER, gateway: "kannel-1" });
  });

  async function call(url: string, init: RequestInit = {}): Promise<Response> {
    // The Host the request arrives on plays no part: the key is in the query.
    const request = new Request(url.replace(PUBLIC_URL, "http://10.0.0.7:3000"), init);
    return pipeline.ingest("kannel-1", request);
  }

  async function expectEmpty200(response: Response) {
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain");
    expect(await response.text()).toBe("");
  }

  it("stores the golden get-url call once: empty 200, and the same empty 200 to a retry", async () => {
    await expectEmpty200(await call(getUrl(GOLDEN)));
    await expectEmpty200(await call(getUrl(GOLDEN)));
    const page = await pipeline.inbox(NUMBER);
    expect(page.messages).toHaveLength(1);
    expect(page.messages[0]).toMatchObject({
      number: NUMBER,
      from: "+447700900001",
      text: "Your code is 51234",
      code: "51234",
      receivedAt: "2025-11-22T10:00:00.000Z",
    });
    const rows = (await pipeline.db.select().from(messages)).filter((r) => r.sourceKey === ID);
    expect(rows).toHaveLength(1);
  });

  it("answers the same %I with other content 409 idempotency_conflict", async () => {
    const response = await call(getUrl({ ...GOLDEN, text: "Your code is 99999" }));
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: "idempotency_conflict" });
  });

  it("stores the golden post-url call (UCS-2 body) once", async () => {
    const id = "a1d5c8e2-6b1f-4f7e-8d0c-3e2a9b7c6d51";
    const init = () => ({
      method: "POST",
      headers: {
        "content-type": 'text/plain; charset="UTF-16BE"',
        "x-kannel-from": "79642161111",
        "x-kannel-to": "998940373339",
        "x-kannel-time": "2026-11-22 10:05:00",
        "x-kannel-coding": "2",
      },
      body: utf16be("Ваш код: 4821 😀"),
    });
    await expectEmpty200(await call(`${PUBLIC_URL}/api/inbound/kannel-1?key=${KEY}&id=${id}`, init()));
    await expectEmpty200(await call(`${PUBLIC_URL}/api/inbound/kannel-1?key=${KEY}&id=${id}`, init()));
    const rows = (await pipeline.db.select().from(messages)).filter((r) => r.sourceKey === id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ sender: "+79642161111", text: "Ваш код: 4821 😀", code: "4821", number: NUMBER });
    expect(rows[0]!.receivedAt.toISOString()).toBe("2026-11-22T10:05:00.000Z");
  });

  it("joins UCS-2 parts that arrive out of order, with an emoji split between them, and counts a retried part once", async () => {
    const bytes = utf16be("Код 7710 😀 конец");
    const split = 10; // bytes 8–11 are the emoji's surrogate pair: the cut falls inside it
    const part = (n: 1 | 2) =>
      getUrl({
        ...GOLDEN,
        id: `c0ffee00-0000-4000-8000-00000000000${n}`,
        from: "447700900042",
        coding: "2",
        charset: "UTF-16BE",
        text: n === 1 ? bytes.subarray(0, split) : bytes.subarray(split),
        udh: hex(`05000399020${n}`),
      });
    await expectEmpty200(await call(part(2)));
    expect((await pipeline.db.select().from(messageParts)).length).toBe(1);
    await expectEmpty200(await call(part(2)));
    await expectEmpty200(await call(part(1)));
    await expectEmpty200(await call(part(1)));
    const joined = (await pipeline.db.select().from(messages)).filter((r) => r.sender === "+447700900042");
    expect(joined).toHaveLength(1);
    expect(joined[0]).toMatchObject({ text: "Код 7710 😀 конец", segments: 2, incomplete: false, code: "7710" });
  });

  it("acknowledges a delivery report with an empty 200 and stores nothing", async () => {
    const before = (await pipeline.db.select().from(messages)).length;
    await expectEmpty200(await call(getUrl({ id: "dlr-1", dlr: "1" })));
    expect(await pipeline.db.select().from(messages)).toHaveLength(before);
  });

  it("refuses a wrong or missing key before storing or quarantining anything", async () => {
    const before = (await listQuarantine(pipeline.db)).length;
    expect((await call(getUrl({ ...GOLDEN, id: "x-1" }, "nbx_wrong"))).status).toBe(401);
    expect((await call(getUrl({ ...GOLDEN, id: "x-2" }, null))).status).toBe(401);
    expect(await listQuarantine(pipeline.db)).toHaveLength(before);
  });

  it("refuses another content type (415) and another method (405)", async () => {
    const json = await call(getUrl(GOLDEN), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(json.status).toBe(415);
    const put = await call(getUrl(GOLDEN), { method: "PUT", headers: { "content-type": "text/plain" }, body: "x" });
    expect(put.status).toBe(405);
  });

  it("quarantines an authenticated call it cannot take (422), raw bytes and all, with the key masked", async () => {
    const text = utf16be("Привет");
    const url = getUrl({ ...GOLDEN, id: "q-1", to: "+998900000000", coding: "2", charset: "UTF-16BE", text });
    const response = await call(url);
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: "unknown_recipient" });
    const [kept] = await listQuarantine(pipeline.db);
    expect(kept).toMatchObject({ gateway: "kannel-1", error: "unknown_recipient", method: "GET" });
    expect(kept!.url).toContain("key=***");
    expect(kept!.url).not.toContain(KEY);
    expect(kept!.url).toContain(`text=${kannelEncode(text)}`);

    const missing = await call(getUrl({ id: "q-2", from: "447700900001", to: GOLDEN.to }));
    expect(missing.status).toBe(422);
    expect(await missing.json()).toMatchObject({ error: "missing_text" });
    const noSender = await call(getUrl({ id: "q-3", to: GOLDEN.to, text: "hi" }));
    expect(await noSender.json()).toMatchObject({ error: "missing_sender" });
    const impossible = await call(getUrl({ ...GOLDEN, id: "q-4", udh: hex("0500032A0203") }));
    expect(impossible.status).toBe(422);
    expect(await impossible.json()).toMatchObject({ error: "bad_concat_metadata" });
    expect((await listQuarantine(pipeline.db)).map((q) => q.error).slice(0, 4)).toEqual([
      "bad_concat_metadata",
      "missing_sender",
      "missing_text",
      "unknown_recipient",
    ]);
  });
});
