import { describe, expect, it } from "vitest";
import { messages } from "@/db/schema";
import { createGateway } from "@/lib/admin/gateways";
import { hashKey } from "@/lib/security/secrets";
import { createNumber } from "@/lib/admin/numbers";
import { AppError } from "@/lib/errors";
import type { GatewayAuth } from "../adapter";
import type { InboundMessage } from "../message";
import { listQuarantine } from "../quarantine";
import { toInboundRequest, type InboundRequest } from "../request";
import { decodeJasminText, jasmin, JASMIN_ACK } from "./jasmin";
import {
  concatenationOf,
  decodeCharset,
  decodeSmscDefault,
  decodeWindows1252,
  parseFormBytes,
  recipientField,
} from "./smsc-common";
import { appError, pipelineDatabase } from "@/lib/testing/adapters";

const PUBLIC_URL = "https://numbox.example";
const KEY = "nbx_jasmin-test-key-0123456789abcdefghijklmnopqrstu";
const PREVIOUS_KEY = "nbx_jasmin-previous-key-0123456789abcdefghijklmnop";
const ID = "16fd2706-8baf-433b-82eb-8c7fada847da";
const ENDPOINT = `${PUBLIC_URL}/api/inbound/jasmin-1?key=${KEY}`;

/** Python's urlencode / quote_plus, as Jasmin's thrower uses it: letters, digits and _.-~ as they are, space '+'. */
function pythonEncode(value: Uint8Array | string): string {
  const data = typeof value === "string" ? new TextEncoder().encode(value) : value;
  let out = "";
  for (const b of data) {
    const c = String.fromCharCode(b);
    if (b === 0x20) out += "+";
    else if (/[A-Za-z0-9_.\-~]/.test(c)) out += c;
    else out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s/g, ""), "hex"));
const utf16be = (s: string) => Uint8Array.from(Buffer.from(s, "utf16le").swap16());

type Fields = Record<string, string | Uint8Array | undefined>;

/** The form Jasmin throws: `content` is the raw bytes, `binary` their hex (lower case, binascii.hexlify). */
function form(fields: Fields): string {
  return Object.entries(fields)
    .filter((e): e is [string, string | Uint8Array] => e[1] !== undefined)
    .map(([name, value]) => `${name}=${pythonEncode(value)}`)
    .join("&");
}

function message(text: Uint8Array, coding: number, extra: Fields = {}): Fields {
  return {
    id: ID,
    from: "+21620203060",
    to: "+998940373339",
    "origin-connector": "smpp-01",
    priority: "1",
    coding: String(coding),
    content: text,
    binary: Buffer.from(text).toString("hex"),
    ...extra,
  };
}

const GOLDEN = message(new TextEncoder().encode("Your code is 51234"), 0);

function gateway(apiKeys = [KEY]): GatewayAuth {
  return { id: "jasmin-1", kind: "jasmin", apiKeyHashes: apiKeys.map(hashKey), secrets: [], config: {} };
}

const jasminHeaders = {
  "content-type": "application/x-www-form-urlencoded",
  "user-agent": "Jasmin gateway/1.0 deliverSmHttpThrower",
  accept: "text/plain",
};

function post(body: string, url = ENDPOINT): InboundRequest {
  const bytes = new TextEncoder().encode(body);
  const request = new Request(url, { method: "POST", headers: jasminHeaders, body: bytes });
  return toInboundRequest(request, bytes, PUBLIC_URL);
}

function get(url: string): InboundRequest {
  return toInboundRequest(new Request(url, { headers: jasminHeaders }), new Uint8Array(), PUBLIC_URL);
}

function only(request: InboundRequest): InboundMessage {
  const parsed = jasmin.parse(request, gateway());
  if (!("messages" in parsed)) throw new Error(`ignored: ${parsed.ignored}`);
  expect(parsed.messages).toHaveLength(1);
  return parsed.messages[0]!;
}

describe("jasmin authentication (API key in the connector URL)", () => {
  it("accepts the key in the URL of a POST and of a GET, and the previous key during a rotation", () => {
    expect(() => jasmin.authenticate(post(form(GOLDEN)), gateway())).not.toThrow();
    expect(() => jasmin.authenticate(get(`${ENDPOINT}&${form(GOLDEN)}`), gateway([PREVIOUS_KEY, KEY]))).not.toThrow();
  });

  it("accepts what Jasmin before 0.10 sends for a GET to a URL with a query: ?key=…?id=…", () => {
    const request = get(`${ENDPOINT}?${form(GOLDEN)}`);
    expect(() => jasmin.authenticate(request, gateway())).not.toThrow();
    expect(only(request)).toMatchObject({ sourceKey: ID, text: "Your code is 51234" });
  });

  it("refuses a missing key (401 missing_credentials), a wrong one and a one-character change (401 bad_key)", () => {
    const missing = appError(() =>
      jasmin.authenticate(post(form(GOLDEN), `${PUBLIC_URL}/api/inbound/jasmin-1`), gateway()),
    );
    expect([missing.status, missing.code]).toEqual([401, "missing_credentials"]);
    for (const key of ["nbx_someone-else", `${KEY.slice(0, -1)}v`]) {
      const error = appError(() =>
        jasmin.authenticate(post(form(GOLDEN), `${PUBLIC_URL}/api/inbound/jasmin-1?key=${key}`), gateway()),
      );
      expect([error.status, error.code]).toEqual([401, "bad_key"]);
    }
  });
});

describe("jasmin parse", () => {
  it("reads the golden POST of deliverSmHttpThrower (docs/ingest-sources.md §13)", () => {
    expect(only(post(form(GOLDEN)))).toEqual({
      to: "+998940373339",
      from: "+21620203060",
      text: "Your code is 51234",
      receivedAt: null,
      sourceKey: ID,
    });
  });

  it("reads the same message from a GET", () => {
    expect(only(get(`${ENDPOINT}&${form(GOLDEN)}`))).toEqual(only(post(form(GOLDEN))));
  });

  it("decodes UCS-2 (coding 8) from binary, and from content where an older Jasmin sends no binary", () => {
    const privet = hex("041F04400438043204350442");
    expect(only(post(form(message(privet, 8)))).text).toBe("Привет");
    expect(only(post(form(message(privet, 8, { binary: undefined })))).text).toBe("Привет");
  });

  it("keeps a long joined UCS-2 text exactly: emoji, RTL marks, Arabic, CJK", () => {
    const text = `${"Код 51234 😀 \u200fمرحبا 你好 ".repeat(150)}end`;
    expect(text.length).toBeGreaterThan(3000);
    expect(only(post(form(message(utf16be(text), 8)))).text).toBe(text);
  });

  it("decodes coding 3 as Latin-1, 6 as Cyrillic (ISO-8859-5), and the default alphabet without losing a message", () => {
    expect(only(post(form(message(hex("436166E9"), 3)))).text).toBe("Café");
    expect(only(post(form(message(hex("BFE0D8D2D5E2"), 6)))).text).toBe("Привет");
    // Default alphabet (0): unpacked GSM when GSM-only bytes show it (@ is 0x00, $ 0x02), else ASCII/Latin-1.
    expect(only(post(form(message(hex("00 41 02 35 1B65"), 0)))).text).toBe("@A$5€");
    expect(only(post(form(message(new TextEncoder().encode("a@b $5 [x]"), 0)))).text).toBe("a@b $5 [x]");
    expect(only(post(form(message(new TextEncoder().encode("Привет"), 0)))).text).toBe("Привет");
    expect(only(post(form(message(hex("436166E9"), 0)))).text).toBe("Café");
    // Without coding: the default alphabet.
    expect(only(post(form(message(new TextEncoder().encode("hi"), 0, { coding: undefined })))).text).toBe("hi");
  });

  it("keeps senders as Jasmin gives them: +international, national, alphanumeric", () => {
    for (const from of ["+21620203060", "20203060", "Jasmin", "VM-HDFCBK"]) {
      expect(only(post(form({ ...GOLDEN, from }))).from).toBe(from);
    }
  });

  it("keeps empty text and text full of form syntax", () => {
    expect(only(post(form(message(new Uint8Array(), 0)))).text).toBe("");
    const tricky = 'a&b=c%d+e "q"\n';
    expect(only(post(form(message(new TextEncoder().encode(tricky), 0)))).text).toBe(tricky);
  });

  it("leaves out a 'to' that is no phone number; hands missing fields to validation as missing", () => {
    expect(only(post(form({ ...GOLDEN, to: "Jasmin" }))).to).toBeUndefined();
    const bare = only(post(form({ id: ID })));
    expect(bare).toMatchObject({ from: undefined, text: undefined, to: undefined });
  });

  it("acknowledges a DLR thrown at this URL without storing it", () => {
    expect(jasmin.parse(post(form({ id: ID, level: "1", message_status: "ESME_ROK" })), gateway())).toEqual({
      ignored: "a Jasmin delivery receipt, not an inbound SMS",
    });
  });
});

describe("jasmin bad input (docs/ingest-sources.md §16.6)", () => {
  const cases: [string, string, number, string][] = [
    ["#11 a bad %-escape", `${form(GOLDEN)}&x=%G0`, 400, "malformed_body"],
    ["#11 a field that must be text is not UTF-8", form({ ...GOLDEN, from: hex("C0AF") }), 400, "malformed_body"],
    ["#13 a parameter repeated with another value", `${form(GOLDEN)}&id=other`, 400, "ambiguous_parameter"],
    ["#18 binary that is not hex", form({ ...GOLDEN, binary: "zz" }), 422, "bad_binary_encoding"],
    ["#18 binary with an odd number of hex digits", form({ ...GOLDEN, binary: "416" }), 422, "bad_binary_encoding"],
    ["#19 UCS-2 with an odd byte count", form(message(hex("041F04"), 8)), 422, "bad_ucs2"],
    ["#19 UCS-2 with a lone surrogate", form(message(hex("0041DE00"), 8)), 422, "bad_ucs2"],
  ];
  for (const [name, body, status, code] of cases) {
    it(`${name} → ${status} ${code}`, () => {
      const error = appError(() => jasmin.parse(post(body), gateway()));
      expect([error.status, error.code]).toEqual([status, code]);
    });
  }
});

describe("jasmin answer", () => {
  it("is 200 text/plain with exactly ACK/Jasmin, for a stored, a duplicate and an ignored request", async () => {
    for (const result of [
      { accepted: 1, duplicates: 0, ids: [1], stored: [], before: new Map() },
      { accepted: 0, duplicates: 1, ids: [1], stored: [], before: new Map() },
      null,
    ]) {
      const response = jasmin.respond(result);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(await response.text()).toBe(JASMIN_ACK);
    }
    expect(JASMIN_ACK).toBe("ACK/Jasmin");
  });

  it("documents the jcli connector, the MO route and persisting", () => {
    const code = jasmin.setup.snippets!.map((s) => s.code).join("\n");
    for (const line of [
      "httpccm -a",
      "> url {webhookUrl}",
      "> method POST",
      "morouter -a",
      "> connector http(numbox)",
      "persist",
    ]) {
      expect(code).toContain(line);
    }
  });
});

describe("SMSC text decoding (smsc-common)", () => {
  it("reads Windows-1252 with its 0x80–0x9F glyphs (Node's own decoder gives C1 controls)", () => {
    expect(decodeWindows1252(hex("80 99 9C E9"))).toBe("€™œé");
    expect(decodeCharset(hex("80"), "ISO-8859-1")).toBe("€");
    expect(decodeCharset(hex("80"), "no-such-charset")).toBeNull();
    expect(decodeCharset(hex("D83DDE00"), '"UTF-16BE"')).toBe("😀");
    expect(decodeCharset(hex("D83DDE00"), "UCS-2")).toBe("😀");
  });

  it("reads the default alphabet every way SMSCs send it", () => {
    expect(decodeSmscDefault(new TextEncoder().encode("Code 12345"))).toBe("Code 12345");
    expect(decodeSmscDefault(hex("00 10 11"))).toBe("@Δ_");
    expect(decodeSmscDefault(new TextEncoder().encode("Ünïcødé"))).toBe("Ünïcødé");
    expect(decodeSmscDefault(hex("DC"))).toBe("Ü");
    expect(decodeJasminText(hex("00"), 99)).toBe("@");
  });

  it("keeps form values as bytes, strict about escapes and repeats", () => {
    const fields = parseFormBytes("a=%D8%3D+x&b&c=&a=%D8%3D+x");
    expect([...fields.get("a")!]).toEqual([0xd8, 0x3d, 0x20, 0x78]);
    expect(fields.get("b")).toEqual(new Uint8Array());
    expect(fields.get("c")).toEqual(new Uint8Array());
    expect(() => parseFormBytes("a=%")).toThrow(AppError);
    expect(() => parseFormBytes("a=1&a=2")).toThrow(AppError);
  });

  it("reads concatenation from a UDH, 8-bit and 16-bit references", () => {
    expect(concatenationOf(hex("0500032A0201"))).toEqual({ ref: "42", total: 2, part: 1 });
    expect(concatenationOf(hex("06080412340302"))).toEqual({ ref: "16:4660", total: 3, part: 2 });
    expect(concatenationOf(hex("0B05040B8423F00003070201"))).toEqual({ ref: "7", total: 2, part: 1 });
    expect(concatenationOf(hex("06050400000000"))).toBeNull();
    expect(concatenationOf(hex("050003070000"))).toEqual({ ref: "7", total: 0, part: 0 }); // validation refuses it
  });

  it("keeps a recipient only when it is a phone number", () => {
    expect(recipientField(" +998 94 037-33-39 ")).toBe("+998 94 037-33-39");
    expect(recipientField("998940373339")).toBe("998940373339");
    expect(recipientField("1234")).toBeUndefined();
    expect(recipientField("")).toBeUndefined();
    expect(recipientField(undefined)).toBeUndefined();
  });
});

describe("jasmin through the pipeline (PGlite)", () => {
  const NUMBER = "+998940373339";

  const pipeline = pipelineDatabase(PUBLIC_URL, async (db) => {
    await createGateway(db, { id: "jasmin-1", kind: "jasmin" }, { apiKey: KEY });
    await createNumber(db, { number: NUMBER, gateway: "jasmin-1" });
  });

  async function call(url: string, init: RequestInit = {}): Promise<Response> {
    const request = new Request(url.replace(PUBLIC_URL, "http://10.0.0.7:3000"), init);
    return pipeline.ingest("jasmin-1", request);
  }
  const throwPost = (body: string, url = ENDPOINT) => call(url, { method: "POST", headers: jasminHeaders, body });

  async function expectAck(response: Response) {
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect((await response.text()).trim()).toBe(JASMIN_ACK);
  }

  it("stores the golden POST once: ACK/Jasmin, and the same ACK to a retry", async () => {
    await expectAck(await throwPost(form(GOLDEN)));
    await expectAck(await throwPost(form(GOLDEN)));
    const page = await pipeline.inbox(NUMBER);
    expect(page.messages).toHaveLength(1);
    expect(page.messages[0]).toMatchObject({
      number: NUMBER,
      from: "+21620203060",
      text: "Your code is 51234",
      code: "51234",
    });
    const rows = (await pipeline.db.select().from(messages)).filter((r) => r.sourceKey === ID);
    expect(rows).toHaveLength(1);
  });

  it("answers the same id with other content 409 idempotency_conflict", async () => {
    const response = await throwPost(form(message(new TextEncoder().encode("Your code is 99999"), 0)));
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: "idempotency_conflict" });
  });

  it("stores a UCS-2 GET from a Jasmin before 0.10 (?key=…?id=…)", async () => {
    const id = "5b0c3f7e-2a61-4d4c-9f1e-7c2b8a9d0e13";
    const url = `${ENDPOINT}?${form(message(utf16be("Ваш код: 4821 😀"), 8, { id }))}`;
    await expectAck(await call(url, { headers: jasminHeaders }));
    await expectAck(await call(url, { headers: jasminHeaders }));
    const rows = (await pipeline.db.select().from(messages)).filter((r) => r.sourceKey === id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ text: "Ваш код: 4821 😀", code: "4821", sender: "+21620203060" });
  });

  it("acknowledges a DLR with ACK/Jasmin and stores nothing", async () => {
    const before = (await pipeline.db.select().from(messages)).length;
    await expectAck(await throwPost(form({ id: "dlr-1", level: "2", message_status: "DELIVRD" })));
    expect(await pipeline.db.select().from(messages)).toHaveLength(before);
  });

  it("refuses a wrong or missing key before storing or quarantining anything", async () => {
    const before = (await listQuarantine(pipeline.db)).length;
    expect(
      (await throwPost(form({ ...GOLDEN, id: "x-1" }), `${PUBLIC_URL}/api/inbound/jasmin-1?key=nbx_wrong`)).status,
    ).toBe(401);
    expect((await throwPost(form({ ...GOLDEN, id: "x-2" }), `${PUBLIC_URL}/api/inbound/jasmin-1`)).status).toBe(401);
    expect(await listQuarantine(pipeline.db)).toHaveLength(before);
  });

  it("refuses JSON (415)", async () => {
    const response = await call(ENDPOINT, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(response.status).toBe(415);
  });

  it("quarantines an authenticated throw it cannot take (422) with its raw body", async () => {
    const body = form({ ...GOLDEN, id: "q-1", to: "+998900000000" });
    const response = await throwPost(body);
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: "unknown_recipient" });
    const [kept] = await listQuarantine(pipeline.db);
    expect(kept).toMatchObject({ gateway: "jasmin-1", error: "unknown_recipient", method: "POST", body });
    expect(kept!.url).toBe(`${PUBLIC_URL}/api/inbound/jasmin-1?key=***`);

    const missing = await throwPost(form({ id: "q-2", from: "+21620203060", to: "+998940373339", coding: "0" }));
    expect(missing.status).toBe(422);
    expect(await missing.json()).toMatchObject({ error: "missing_text" });
    const badHex = await throwPost(form({ ...GOLDEN, id: "q-3", binary: "xyz" }));
    expect(await badHex.json()).toMatchObject({ error: "bad_binary_encoding" });
    expect((await listQuarantine(pipeline.db)).map((q) => q.error).slice(0, 3)).toEqual([
      "bad_binary_encoding",
      "missing_text",
      "unknown_recipient",
    ]);
  });
});
