import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import type { GatewayAuth } from "../adapter";
import { listQuarantine } from "../quarantine";
import { toInboundRequest } from "../request";
import { concatenation, decodeLatin9, smstools } from "./smstools";
import { pipelineDatabase } from "@/lib/testing/adapters";

const OCTETS = "application/octet-stream";
const PUBLIC_URL = "https://numbox.example";
const SCRIPTS = path.join(process.cwd(), "public/gateway");

// The golden request's body: the received-message example shipped with smstools 3.1.21
// (examples/received_sms.sms, quoted in docs/ingest-sources.md §11), byte for byte: no From_TOA, no final newline.
const GOLDEN_FILE =
  "From: 491721234567\nFrom_SMSC: 491722270333\nSent: 02-01-21 22:26:23\nReceived: 02-01-21 22:26:25\n" +
  "Subject: GSM1\nAlphabet: ISO\nUDH: false\n\nThis is the Text that I sent with my mobile phone.";
const GOLDEN_NAME = "GSM1.AbC123";

/** A message file as smsd 3.1.x writes it: header lines, an empty line, the body's bytes. */
function smsFile(headers: Record<string, string>, body: Uint8Array | string): Uint8Array {
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\n`)
    .join("");
  return Uint8Array.from([
    ...Buffer.from(`${head}\n`, "latin1"),
    ...(typeof body === "string" ? Buffer.from(body, "latin1") : body),
  ]);
}

const utf16be = (text: string) => Buffer.from(text, "utf16le").swap16();

const RECEIVED_HEADERS = {
  From: "998901112233",
  From_TOA: "91 international, ISDN/telephone",
  From_SMSC: "998901000000",
  Sent: "26-11-22 10:15:00",
  Received: "26-11-22 10:15:04",
  Subject: "GSM1",
  Modem: "GSM1",
  IMSI: "434050000000000",
  Report: "no",
};

function auth(config: Record<string, unknown> = {}): GatewayAuth {
  return { id: "smstools-1", kind: "smstools", apiKeyHashes: [], secrets: [], config };
}

function parse(body: Uint8Array | string, fileName: string | null = GOLDEN_NAME, config: Record<string, unknown> = {}) {
  const bytes = typeof body === "string" ? Uint8Array.from(Buffer.from(body, "latin1")) : body;
  const headers: Record<string, string> = { "content-type": OCTETS };
  if (fileName !== null) headers["x-numbox-file"] = fileName;
  const request = new Request(`${PUBLIC_URL}/api/inbound/smstools-1`, {
    method: "POST",
    headers,
    body: bytes as Uint8Array<ArrayBuffer>,
  });
  return smstools.parse(toInboundRequest(request, bytes, PUBLIC_URL), auth(config));
}

function expectError(run: () => unknown, status: number, code: string) {
  try {
    run();
    expect.unreachable();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status, code });
  }
}

describe("smstools: reading a message file", () => {
  it("reads the golden request (smstools' own example file)", () => {
    expect(parse(GOLDEN_FILE)).toEqual({
      messages: [
        {
          to: undefined,
          from: "+491721234567",
          text: "This is the Text that I sent with my mobile phone.",
          receivedAt: new Date("2002-01-21T22:26:23Z"),
          sourceKey: "GSM1/GSM1.AbC123@02-01-21 22:26:25",
          part: undefined,
        },
      ],
    });
  });

  it("reads a UCS2 body as raw UTF-16BE: Cyrillic, emoji, the code", () => {
    const text = "Ваш код: 4821 😀";
    const parsed = parse(smsFile({ ...RECEIVED_HEADERS, Alphabet: "UCS2", Length: "16" }, utf16be(text)));
    expect(parsed).toMatchObject({
      messages: [{ from: "+998901112233", text, receivedAt: new Date("2026-11-22T10:15:00Z"), part: undefined }],
    });
  });

  it("reads a long joined text (smsd's internal_combine) whole", () => {
    const text = "Длинное сообщение 😀 ".repeat(200);
    expect(parse(smsFile({ ...RECEIVED_HEADERS, Alphabet: "UCS2" }, utf16be(text)))).toMatchObject({
      messages: [{ text }],
    });
  });

  it("reads an ISO body as ISO-8859-15 (the euro sign is 0xA4) and a UTF-8 one as UTF-8", () => {
    const iso = Uint8Array.from([
      ...Buffer.from("Preis: 5 "),
      0xa4,
      0x20,
      0xa6,
      0xa8,
      0xb4,
      0xb8,
      0xbc,
      0xbd,
      0xbe,
      0x20,
      0xe9,
      0xdf,
    ]);
    expect(parse(smsFile({ ...RECEIVED_HEADERS, Alphabet: "ISO" }, iso))).toMatchObject({
      messages: [{ text: "Preis: 5 € ŠšŽžŒœŸ éß" }],
    });
    expect(decodeLatin9(Uint8Array.from([0x24, 0x40, 0xa3, 0xa4]))).toBe("$@£€");
    expect(
      parse(smsFile({ ...RECEIVED_HEADERS, Alphabet: "UTF-8" }, Buffer.from("Código: 123 — ✓ 😀", "utf8"))),
    ).toMatchObject({
      messages: [{ text: "Código: 123 — ✓ 😀" }],
    });
  });

  it("reads a GSM body (cs_convert = no) as the GSM 7-bit alphabet, extension characters included", () => {
    // "@£$ Ä€[x]" with 0x00 for "@" and 0x1B escapes.
    const gsm = Uint8Array.from([0x00, 0x01, 0x02, 0x20, 0x5b, 0x1b, 0x65, 0x1b, 0x3c, 0x78, 0x1b, 0x3e, 0x0a, 0x11]);
    expect(parse(smsFile({ ...RECEIVED_HEADERS, Alphabet: "GSM" }, gsm))).toMatchObject({
      messages: [{ text: "@£$ Ä€[x]\n_" }],
    });
    // The extension table itself: lib/text/gsm7.test.ts. A byte that is no septet is refused.
    expectError(
      () => parse(smsFile({ ...RECEIVED_HEADERS, Alphabet: "GSM" }, Uint8Array.from([0x41, 0xc4]))),
      422,
      "bad_binary_encoding",
    );
  });

  it("gives the sender its '+' only when the file says it is international (or does not say)", () => {
    const sender = (from: string, toa?: string) => {
      const parsed = parse(smsFile({ From: from, ...(toa ? { From_TOA: toa } : {}), Alphabet: "ISO" }, "x"));
      return "messages" in parsed ? parsed.messages[0]!.from : undefined;
    };
    expect(sender("491721234567", "91 international, ISDN/telephone")).toBe("+491721234567");
    expect(sender("491721234567")).toBe("+491721234567");
    expect(sender("0901112233", "A1 national, ISDN/telephone")).toBe("0901112233");
    expect(sender("79161234567", "81 unknown, ISDN/telephone")).toBe("79161234567");
    expect(sender("Telegram", "D0 alphanumeric, (reserved)")).toBe("Telegram");
    expect(sender("VM-HDFCBK")).toBe("VM-HDFCBK");
    expect(sender("12345")).toBe("12345");
    expect(sender("12345", "91 international, ISDN/telephone")).toBe("12345");
    expect(sender("491721234567", "international")).toBe("+491721234567");
  });

  it("finds our number: the file's Number:, else the modem's entry in the config, else the gateway's only number", () => {
    const config = { modems: { GSM1: "+998901112233", GSM2: "+998901112244" } };
    const to = (headers: Record<string, string>) => {
      const parsed = parse(smsFile({ From: "12345", Alphabet: "ISO", ...headers }, "x"), GOLDEN_NAME, config);
      return "messages" in parsed ? parsed.messages[0]!.to : "ignored";
    };
    expect(to({ Number: "998905556677", Modem: "GSM1" })).toBe("998905556677");
    expect(to({ Modem: "GSM2", Subject: "GSM2" })).toBe("+998901112244");
    expect(to({ Subject: "GSM1" })).toBe("+998901112233");
    expect(to({ Modem: "GSM9" })).toBeUndefined();
    // A `number =` in a local form is no phone number to us: the modem map decides, else validation says why.
    expect(to({ Number: "0901112299", Modem: "GSM2" })).toBe("+998901112244");
    expect(to({ Number: "0901112299", Modem: "GSM9" })).toBe("0901112299");
  });

  it("reads Sent: (the SMS centre's time stamp) in the configured zone, else Received:, and never refuses a bad one", () => {
    const at = (headers: Record<string, string>, config: Record<string, unknown> = {}) => {
      const parsed = parse(smsFile({ From: "12345", Alphabet: "ISO", ...headers }, "x"), GOLDEN_NAME, config);
      return "messages" in parsed ? parsed.messages[0]!.receivedAt : "ignored";
    };
    expect(at({ Sent: "26-11-22 10:15:00", Received: "26-11-22 10:15:04" }, { timeZone: "Asia/Tashkent" })).toEqual(
      new Date("2026-11-22T05:15:00Z"),
    );
    expect(at({ Received: "2026-11-22 10:15:04" })).toEqual(new Date("2026-11-22T10:15:04Z"));
    expect(at({ Sent: "26-02-31 10:15:00", Received: "yesterday" })).toBeNull();
    expect(at({})).toBeNull();
  });

  it("keys a file by modem, name and Received: time; without a name, by its content", () => {
    const key = (body: string, name: string | null) => {
      const parsed = parse(body, name);
      return "messages" in parsed ? parsed.messages[0]!.sourceKey : "ignored";
    };
    expect(key(GOLDEN_FILE, "/var/spool/sms/incoming/GSM1.AbC123")).toBe("GSM1/GSM1.AbC123@02-01-21 22:26:25");
    expect(key(GOLDEN_FILE, "GSM1 ÄbC;rm")).toBe("GSM1/GSM1__bC_rm@02-01-21 22:26:25");
    expect(key(GOLDEN_FILE, null)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(key(GOLDEN_FILE, null)).toBe(key(GOLDEN_FILE, null));
    expect(key(GOLDEN_FILE, null)).not.toBe(key(`${GOLDEN_FILE}!`, null));
  });

  it("reads the parts of a long SMS from UDH-DATA (internal_combine = no), with a UCS2 part's raw bytes", () => {
    const part = parse(
      smsFile(
        { ...RECEIVED_HEADERS, Alphabet: "UCS2", "UDH-DATA": "05 00 03 2A 02 01 " },
        Uint8Array.from([0x00, 0x48, 0xd8, 0x3d]),
      ),
    );
    expect(part).toMatchObject({
      messages: [{ part: { ref: "42", total: 2, part: 1, ucs2: Uint8Array.from([0x00, 0x48, 0xd8, 0x3d]) } }],
    });
    expect(concatenation("06 08 04 01 2C 03 02")).toEqual({ ref: "300", total: 3, part: 2 });
    // Other elements before the concatenation one are skipped; "1 of 1" is a whole message.
    expect(concatenation("08 24 01 01 00 03 07 02 01")).toEqual({ ref: "7", total: 2, part: 1 });
    expect(concatenation("05 00 03 07 01 01")).toBeNull();
    expect(concatenation("03 24 01 01")).toBeNull();
    expect(concatenation(undefined)).toBeNull();
  });

  it("ignores what is not a text SMS: 8-bit data, and PDUs smsd could not decode", () => {
    expect(
      parse(smsFile({ ...RECEIVED_HEADERS, Alphabet: "binary" }, Uint8Array.from([0x0b, 0x05, 0x04, 0x0b, 0x84]))),
    ).toEqual({
      ignored: "an 8-bit data message (Alphabet: binary), not a text SMS",
    });
    expect(
      parse(smsFile({ Error: "Cannot decode PDU, see text part for details.", ...RECEIVED_HEADERS }, "Position 12: …")),
    ).toMatchObject({
      ignored: expect.stringContaining("could not decode"),
    });
  });

  it("refuses what cannot be a message file, with the codes of docs/ingest-sources.md §16.6", () => {
    expectError(() => parse("From: 12345\nAlphabet: ISO\nno empty line"), 400, "malformed_body");
    expectError(
      () => parse(smsFile({ ...RECEIVED_HEADERS, Alphabet: "UCS2" }, Uint8Array.from([0x04, 0x1f, 0x04]))),
      422,
      "bad_ucs2",
    );
    expectError(
      () => parse(smsFile({ ...RECEIVED_HEADERS, Alphabet: "UCS2" }, Uint8Array.from([0x00, 0x48, 0xd8, 0x3d]))),
      422,
      "bad_ucs2",
    );
    expectError(
      () => parse(smsFile({ ...RECEIVED_HEADERS, Alphabet: "UTF-8" }, Uint8Array.from([0x41, 0xc3, 0x28]))),
      400,
      "invalid_utf8",
    );
    expectError(
      () => parse(smsFile({ ...RECEIVED_HEADERS, "UDH-DATA": "05 00 03 2A 02" }, "x")),
      422,
      "bad_binary_encoding",
    );
    expectError(
      () => parse(smsFile({ ...RECEIVED_HEADERS, "UDH-DATA": "05 00 03 2A 0G 01" }, "x")),
      422,
      "bad_binary_encoding",
    );
    expectError(
      () => parse(smsFile({ ...RECEIVED_HEADERS, "UDH-DATA": "05 00 04 2A 02 01" }, "x")),
      422,
      "bad_binary_encoding",
    );
  });

  it("takes headers written with CRLF, and a sender name in Latin-9", () => {
    const crlf = Buffer.from("From: B\xe4ckerei\r\nFrom_TOA: D0 alphanumeric\r\nAlphabet: ISO\r\n\r\nOffen", "latin1");
    expect(parse(Uint8Array.from(crlf))).toMatchObject({ messages: [{ from: "Bäckerei", text: "Offen" }] });
  });

  it("is what the gateway config accepts", () => {
    expect(smstools.configSchema!.safeParse({ modems: { GSM1: "998901112233" }, timeZone: "+05:00" })).toMatchObject({
      success: true,
      data: { modems: { GSM1: "+998901112233" }, timeZone: "+05:00" },
    });
    expect(smstools.configSchema!.safeParse({ modems: { GSM1: "GSM1" } }).success).toBe(false);
    expect(smstools.configSchema!.safeParse({ modem: {} }).success).toBe(false);
  });
});

describe("smstools through the real pipeline (PGlite)", () => {
  const pipeline = pipelineDatabase(PUBLIC_URL);

  const givenGateway = (config?: (numbers: string[]) => Record<string, unknown>, count = 1) =>
    pipeline.givenGateway("smstools", config, count);

  async function post(gateway: string, body: Uint8Array | string, headers: Record<string, string>, method = "POST") {
    const bytes = typeof body === "string" ? Uint8Array.from(Buffer.from(body, "latin1")) : body;
    const request = new Request(`http://127.0.0.1:3000/api/inbound/${gateway}`, {
      method,
      headers,
      body: method === "POST" ? (bytes as Uint8Array<ArrayBuffer>) : undefined,
    });
    return pipeline.ingest(gateway, request);
  }

  const inbox = async (number: string) => (await pipeline.inbox(number, 50)).messages;
  const headersFor = (apiKey: string, file = GOLDEN_NAME) => ({
    authorization: `Bearer ${apiKey}`,
    "content-type": OCTETS,
    "x-numbox-file": file,
  });

  it("stores the golden request, answers in the script's dialect, and stores a retry once", async () => {
    const { id, apiKey, number } = await givenGateway();
    const first = await post(id, GOLDEN_FILE, headersFor(apiKey));
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toMatch(/^application\/json/);
    const answer = (await first.json()) as { accepted: number; ids: number[] };
    expect(answer).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(await inbox(number)).toMatchObject([
      {
        id: answer.ids[0],
        from: "+491721234567",
        text: "This is the Text that I sent with my mobile phone.",
        receivedAt: "2002-01-21T22:26:23.000Z",
      },
    ]);

    const retry = await post(id, GOLDEN_FILE, headersFor(apiKey));
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ accepted: 0, duplicates: 1, ids: answer.ids });
    expect(await inbox(number)).toHaveLength(1);

    const changed = await post(id, GOLDEN_FILE.replace("mobile phone", "mobile"), headersFor(apiKey));
    expect(changed.status).toBe(409);
    expect(await changed.json()).toMatchObject({ error: "idempotency_conflict" });
    expect(await inbox(number)).toHaveLength(1);

    // The same random file name, later (smsd reuses names once the incoming directory is cleaned): a new message.
    const later = await post(
      id,
      GOLDEN_FILE.replace("Received: 02-01-21 22:26:25", "Received: 03-05-01 09:00:00"),
      headersFor(apiKey),
    );
    expect(later.status).toBe(200);
    expect(await inbox(number)).toHaveLength(2);
  });

  it("stores a UCS2 file and an ISO-8859-15 one with their exact text", async () => {
    const { id, apiKey, number } = await givenGateway();
    const ucs2 = smsFile({ ...RECEIVED_HEADERS, Alphabet: "UCS2" }, utf16be("Ваш код: 4821 😀"));
    expect((await post(id, ucs2, headersFor(apiKey, "GSM1.ucs2aa"))).status).toBe(200);
    const iso = smsFile(
      { ...RECEIVED_HEADERS, Alphabet: "ISO" },
      Uint8Array.from([...Buffer.from("Kosten: 5 "), 0xa4]),
    );
    expect((await post(id, iso, headersFor(apiKey, "GSM1.isoaaa"))).status).toBe(200);
    expect((await inbox(number)).map((m) => [m.from, m.text, m.code])).toEqual([
      ["+998901112233", "Kosten: 5 €", null],
      ["+998901112233", "Ваш код: 4821 😀", "4821"],
    ]);
  });

  it("joins UCS2 parts as bytes, in any order, even when an emoji straddles them", async () => {
    const { id, apiKey, number } = await givenGateway();
    const bytes = utf16be("Code 5521 😀 ok");
    const cut = 22; // inside the surrogate pair of the emoji
    expect([bytes[cut - 2], bytes[cut - 1]]).toEqual([0xd8, 0x3d]);
    const part = (n: number, body: Uint8Array) =>
      smsFile({ ...RECEIVED_HEADERS, Alphabet: "UCS2", "UDH-DATA": `05 00 03 9C 02 0${n}` }, body);
    const second = await post(id, part(2, bytes.subarray(cut)), headersFor(apiKey, "GSM1.part02"));
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ accepted: 1, ids: [null] });
    expect(await inbox(number)).toHaveLength(0);
    const first = await post(id, part(1, bytes.subarray(0, cut)), headersFor(apiKey, "GSM1.part01"));
    expect(first.status).toBe(200);
    expect(await inbox(number)).toMatchObject([{ text: "Code 5521 😀 ok", code: "5521" }]);
    // A retried part is a duplicate, not a second message.
    expect(
      await (await post(id, part(1, bytes.subarray(0, cut)), headersFor(apiKey, "GSM1.part01"))).json(),
    ).toMatchObject({ duplicates: 1 });
    expect(await inbox(number)).toHaveLength(1);
  });

  it("routes by the file's Number: or the modem map on a gateway with several numbers", async () => {
    const { id, apiKey, numbers } = await givenGateway((n) => ({ modems: { GSM2: n[1] } }), 2);
    const byNumber = smsFile({ ...RECEIVED_HEADERS, Number: numbers[0]!.slice(1), Alphabet: "ISO" }, "to the first");
    expect((await post(id, byNumber, headersFor(apiKey, "GSM1.aaaaaa"))).status).toBe(200);
    const byModem = smsFile({ ...RECEIVED_HEADERS, Modem: "GSM2", Subject: "GSM2", Alphabet: "ISO" }, "to the second");
    expect((await post(id, byModem, headersFor(apiKey, "GSM2.aaaaaa"))).status).toBe(200);
    expect((await inbox(numbers[0]!)).map((m) => m.text)).toEqual(["to the first"]);
    expect((await inbox(numbers[1]!)).map((m) => m.text)).toEqual(["to the second"]);

    const unknown = await post(
      id,
      smsFile({ ...RECEIVED_HEADERS, Alphabet: "ISO" }, "to whom?"),
      headersFor(apiKey, "GSM1.bbbbbb"),
    );
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({ error: "unknown_recipient" });
    const notOurs = await post(
      id,
      smsFile({ ...RECEIVED_HEADERS, Number: "998909999999", Alphabet: "ISO" }, "x"),
      headersFor(apiKey, "GSM1.cccccc"),
    );
    expect(notOurs.status).toBe(422);
    expect(await notOurs.json()).toMatchObject({ error: "unknown_recipient" });
  });

  it("answers the bad-input cases of docs/ingest-sources.md §16.6 that an smsd host can meet", async () => {
    const { id, apiKey, number } = await givenGateway();
    const good = headersFor(apiKey);
    const ucs2Odd = smsFile({ ...RECEIVED_HEADERS, Alphabet: "UCS2" }, Uint8Array.from([0x04, 0x1f, 0x04]));
    const cases: [string, Promise<Response>, number, string][] = [
      ["#1 unknown gateway", post("no-such-gateway", GOLDEN_FILE, good), 404, "unknown_gateway"],
      ["#2 GET", post(id, "", { authorization: `Bearer ${apiKey}` }, "GET"), 405, "method_not_allowed"],
      ["#3 no key", post(id, GOLDEN_FILE, { "content-type": OCTETS }), 401, "missing_credentials"],
      ["#3 wrong key", post(id, GOLDEN_FILE, { ...good, authorization: "Bearer nbx_wrong" }), 401, "bad_key"],
      [
        "#8 text/plain",
        post(id, GOLDEN_FILE, { ...good, "content-type": "text/plain" }),
        415,
        "unsupported_media_type",
      ],
      ["#9 too large", post(id, `${GOLDEN_FILE}${"x".repeat(262144)}`, good), 413, "payload_too_large"],
      ["#11 not a file", post(id, "From: 12345 and no empty line", good), 400, "malformed_body"],
      [
        "#12 UTF-8 promised",
        post(id, smsFile({ ...RECEIVED_HEADERS, Alphabet: "UTF-8" }, Uint8Array.from([0xff])), good),
        400,
        "invalid_utf8",
      ],
      ["#14 no sender", post(id, smsFile({ Alphabet: "ISO" }, "hello"), good), 422, "missing_sender"],
      ["#15 junk sender", post(id, smsFile({ From: "1".repeat(25) }, "x"), good), 422, "invalid_sender"],
      [
        "#18 bad UDH",
        post(id, smsFile({ ...RECEIVED_HEADERS, "UDH-DATA": "05 00 03" }, "x"), good),
        422,
        "bad_binary_encoding",
      ],
      ["#19 odd UCS2", post(id, ucs2Odd, good), 422, "bad_ucs2"],
      [
        "#20 part 3 of 2",
        post(id, smsFile({ ...RECEIVED_HEADERS, "UDH-DATA": "05 00 03 01 02 03" }, "x"), good),
        422,
        "bad_concat_metadata",
      ],
    ];
    for (const [name, response, status, code] of cases) {
      const r = await response;
      expect(r.status, name).toBe(status);
      expect(await r.json(), name).toMatchObject({ error: code });
    }
    expect(await inbox(number)).toHaveLength(0);
    const kept = (await listQuarantine(pipeline.db)).filter((q) => q.gateway === id).map((q) => q.error);
    expect(kept).toEqual(
      expect.arrayContaining([
        "bad_ucs2",
        "bad_binary_encoding",
        "bad_concat_metadata",
        "missing_sender",
        "malformed_body",
      ]),
    );
  });

  it("acknowledges an 8-bit data message without storing it", async () => {
    const { id, apiKey, number } = await givenGateway();
    const response = await post(
      id,
      smsFile({ ...RECEIVED_HEADERS, Alphabet: "binary" }, Uint8Array.from([1, 2, 3])),
      headersFor(apiKey),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, ignored: true });
    expect(await inbox(number)).toHaveLength(0);
  });
});

describe("numbox-smstools.sh", () => {
  type Seen = { url: string; headers: http.IncomingHttpHeaders; body: Buffer };
  let dir: string;
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function fakeSite(status: number) {
    const seen: Seen[] = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        seen.push({ url: req.url!, headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(req.url!.endsWith("/heartbeat") ? 200 : status, { "content-type": "application/json" });
        res.end("{}");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
      url,
      posts: () => seen.filter((s) => !s.url.endsWith("/heartbeat")),
      close: () => new Promise((r) => server.close(r)),
    };
  }

  function run(args: string[], env: Record<string, string>) {
    const bin = path.join(dir, "bin");
    if (!fs.existsSync(bin)) {
      fs.mkdirSync(bin);
      fs.writeFileSync(path.join(bin, "logger"), `#!/bin/sh\nprintf '%s\\n' "$*" >>"${dir}/syslog"\n`, { mode: 0o755 });
    }
    const child = spawn("sh", [path.join(SCRIPTS, "numbox-smstools.sh"), ...args], {
      env: {
        NODE_ENV: "production",
        PATH: `${bin}:/usr/bin:/bin`,
        NUMBOX_CONFIG: "/nonexistent",
        NUMBOX_DAEMON: "",
        ...env,
      },
    });
    let stderr = "";
    child.stderr.on("data", (c) => (stderr += c));
    return new Promise<{ code: number | null; stderr: string }>((resolve) =>
      child.on("close", (code) => resolve({ code, stderr })),
    );
  }

  it("posts a RECEIVED file's raw bytes with its name, and leaves other events alone", async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "numbox-smstools-test-"));
    const site = await fakeSite(200);
    const spool = path.join(dir, "spool");
    const incoming = path.join(dir, "incoming");
    fs.mkdirSync(incoming);
    const bytes = smsFile({ ...RECEIVED_HEADERS, Alphabet: "UCS2" }, utf16be("Код 4821 😀\n"));
    const file = path.join(incoming, "GSM1.x Y;z");
    fs.writeFileSync(file, bytes);
    const env = { NUMBOX_URL: site.url, NUMBOX_GATEWAY: "smstools-1", NUMBOX_KEY: "nbx_key", NUMBOX_SPOOL: spool };

    for (const event of ["SENT", "FAILED", "REPORT", "CALL"]) {
      expect(await run([event, file, "42"], env)).toEqual({ code: 0, stderr: "" });
    }
    expect(site.posts()).toHaveLength(0);

    expect(await run(["RECEIVED", file], env)).toEqual({ code: 0, stderr: "" });
    await site.close();
    const [request] = site.posts();
    expect(request!.url).toBe("/api/inbound/smstools-1");
    expect(request!.headers).toMatchObject({
      authorization: "Bearer nbx_key",
      "content-type": OCTETS,
      "x-numbox-file": "GSM1.x_Y_z",
    });
    expect(Uint8Array.from(request!.body)).toEqual(bytes);
    expect(parse(Uint8Array.from(request!.body), "GSM1.x_Y_z")).toMatchObject({
      messages: [{ text: "Код 4821 😀\n" }],
    });
    expect(fs.readdirSync(spool).filter((f) => !f.startsWith("."))).toEqual([]);
    // smsd's own file is left where it is.
    expect(fs.existsSync(file)).toBe(true);
  });

  it("spools a copy while the site is down and delivers it with --flush", async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "numbox-smstools-test-"));
    const spool = path.join(dir, "spool");
    const file = path.join(dir, "GSM1.AbC123");
    fs.writeFileSync(file, GOLDEN_FILE, "latin1");
    const env = {
      NUMBOX_URL: "http://127.0.0.1:9",
      NUMBOX_GATEWAY: "smstools-1",
      NUMBOX_KEY: "k",
      NUMBOX_SPOOL: spool,
    };
    expect((await run(["RECEIVED", file], env)).code).toBe(0);
    fs.rmSync(file); // smsd's copy may be gone by then: the spool has its own
    const [entry] = fs.readdirSync(spool).filter((f) => f.endsWith(".smstools"));
    expect(fs.readdirSync(path.join(spool, entry!))).toEqual(["GSM1.AbC123"]);

    const site = await fakeSite(200);
    expect((await run(["--flush"], { ...env, NUMBOX_URL: site.url })).code).toBe(0);
    await site.close();
    expect(site.posts().map((p) => [p.headers["x-numbox-file"], p.body.toString("latin1")])).toEqual([
      ["GSM1.AbC123", GOLDEN_FILE],
    ]);
    expect(fs.readdirSync(spool).filter((f) => f.endsWith(".smstools"))).toEqual([]);
  });

  it("exits 1 without spooling when smsd's file cannot be read", async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "numbox-smstools-test-"));
    const spool = path.join(dir, "spool");
    const result = await run(["RECEIVED", path.join(dir, "missing")], { NUMBOX_SPOOL: spool });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cannot read the message file");
  });

  it("shares its spool and delivery code with numbox-gammu.sh, word for word", () => {
    const shared = (file: string) => {
      const text = fs.readFileSync(path.join(SCRIPTS, file), "utf8");
      const start = text.indexOf("# ---- Spool and delivery");
      const end = text.indexOf("# ---- End of the shared part");
      expect(start).toBeGreaterThan(0);
      expect(end).toBeGreaterThan(start);
      return text.slice(start, end);
    };
    expect(shared("numbox-smstools.sh")).toBe(shared("numbox-gammu.sh"));
  });

  it("is POSIX sh that dash parses, executable, with no bash-isms", () => {
    for (const file of ["numbox-gammu.sh", "numbox-smstools.sh"]) {
      const full = path.join(SCRIPTS, file);
      const text = fs.readFileSync(full, "utf8");
      expect(text.startsWith("#!/bin/sh\n"), file).toBe(true);
      expect(fs.statSync(full).mode & 0o111, file).not.toBe(0);
      for (const bashism of ["[[", "function ", "local ", "$'", "<<<", "source ", "echo -e", "${!", "declare "]) {
        expect(text.includes(bashism), `${file}: ${bashism}`).toBe(false);
      }
    }
  });
});
