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
import { gammu, parseGammuForm } from "./gammu";
import { pipelineDatabase } from "@/lib/testing/adapters";

const FORM = "application/x-www-form-urlencoded";
const PUBLIC_URL = "https://numbox.example";
const SCRIPT = path.join(process.cwd(), "public/gateway/numbox-gammu.sh");

// The golden request: what numbox-gammu.sh posts for the message of Gammu's own files-service example
// (docs/manual/smsd/files.rst: IN20021130_021531_00_+45409000931640979_00.txt), encoded the way curl's
// --data-urlencode does it (space as "+", everything else but A–Z a–z 0–9 - . _ ~ as %XX).
const GOLDEN_BODY =
  "DECODED_PARTS=0&PHONE_ID=modem1&SMS_1_CLASS=-1&SMS_1_NUMBER=%2B45409000931640979&SMS_1_REFERENCE=0" +
  "&SMS_1_TEXT=Your+code+is+51234+%26+welcome+%E2%98%BA&SMS_MESSAGES=1" +
  "&ids=IN20021130_021531_00_%2B45409000931640979_00.txt&spool_id=20021130T021533Z-4242";

// A long SMS SMSD has joined: two physical messages, their text decoded in two parts (DECODED_PARTS=2).
const MULTIPART_BODY = curlForm({
  DECODED_1_TEXT: "Привет! Это длинное сообщение, ",
  DECODED_2_TEXT: "код 771204 😀",
  DECODED_PARTS: "2",
  PHONE_ID: "modem1",
  SMS_1_NUMBER: "+998901112233",
  SMS_1_TEXT: "Привет! Это длинное сообщение, ",
  SMS_2_NUMBER: "+998901112233",
  SMS_2_TEXT: "код 771204 😀",
  SMS_MESSAGES: "2",
  ids: "IN20261122_101500_00_+998901112233_00.txt IN20261122_101500_00_+998901112233_01.txt",
  spool_id: "20261122T101502Z-77",
});

/** x-www-form-urlencoded as `curl --data-urlencode name@file` writes it. */
function curlForm(fields: Record<string, string>): string {
  const encode = (value: string) =>
    [...Buffer.from(value, "utf8")]
      .map((b) => {
        const c = String.fromCharCode(b);
        if (/[A-Za-z0-9\-._~]/.test(c)) return c;
        return c === " " ? "+" : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
      })
      .join("");
  return Object.entries(fields)
    .map(([name, value]) => `${name}=${encode(value)}`)
    .join("&");
}

function auth(config: Record<string, unknown> = {}): GatewayAuth {
  return { id: "gammu-1", kind: "gammu", apiKeyHashes: [], secrets: [], config };
}

function parse(body: string, config: Record<string, unknown> = {}) {
  const bytes = new TextEncoder().encode(body);
  const request = new Request(`${PUBLIC_URL}/api/inbound/gammu-1`, {
    method: "POST",
    headers: { "content-type": FORM },
    body: bytes,
  });
  return gammu.parse(toInboundRequest(request, bytes, PUBLIC_URL), auth(config));
}

function form(body: string) {
  return new Map(new URLSearchParams(body));
}

describe("gammu: reading what the script posts", () => {
  it("reads the golden request", () => {
    expect(parse(GOLDEN_BODY)).toEqual({
      messages: [
        {
          to: undefined,
          from: "+45409000931640979",
          text: "Your code is 51234 & welcome ☺",
          receivedAt: new Date("2002-11-30T02:15:31Z"),
          sourceKey: "modem1:IN20021130_021531_00_+45409000931640979_00.txt",
          segments: 1,
        },
      ],
    });
  });

  it("joins the decoded parts of a long SMS (DECODED_PARTS=2), keeping the emoji whole", () => {
    const parsed = parse(MULTIPART_BODY);
    expect(parsed).toMatchObject({
      messages: [
        {
          from: "+998901112233",
          text: "Привет! Это длинное сообщение, код 771204 😀",
          segments: 2,
          receivedAt: new Date("2026-11-22T10:15:00Z"),
          sourceKey: "modem1:IN20261122_101500_00_+998901112233_00.txt IN20261122_101500_00_+998901112233_01.txt",
        },
      ],
    });
  });

  it("takes DECODED_n_TEXT over the physical texts, and the physical texts joined when nothing was decoded", () => {
    const decodedOne = curlForm({
      SMS_MESSAGES: "2",
      DECODED_PARTS: "1",
      SMS_1_NUMBER: "+4915112345678",
      SMS_1_TEXT: "Hello ",
      SMS_2_TEXT: "world",
      DECODED_1_TEXT: "Hello world",
    });
    expect(parse(decodedOne)).toMatchObject({ messages: [{ text: "Hello world", segments: 2 }] });

    const undecoded = curlForm({
      SMS_MESSAGES: "2",
      DECODED_PARTS: "0",
      SMS_1_NUMBER: "+4915112345678",
      SMS_1_TEXT: "Hello ",
      SMS_2_TEXT: "world",
    });
    expect(parse(undecoded)).toMatchObject({ messages: [{ text: "Hello world" }] });
  });

  it("keeps the exact text: newlines, quotes, &, =, %, +, empty", () => {
    const text = 'line 1\nline "2" & a=b 100% +1\r\n\ttab';
    expect(parse(curlForm({ SMS_MESSAGES: "1", SMS_1_NUMBER: "Google", SMS_1_TEXT: text }))).toMatchObject({
      messages: [{ from: "Google", text }],
    });
    expect(parse(curlForm({ SMS_MESSAGES: "1", SMS_1_NUMBER: "12345", SMS_1_TEXT: "" }))).toMatchObject({
      messages: [{ from: "12345", text: "" }],
    });
  });

  it("keeps the sender as Gammu gives it (with '+' for international numbers, national and short codes as they are)", () => {
    for (const sender of ["+998901112233", "0901112233", "12345", "VM-HDFCBK", "Telegram"]) {
      expect(parse(curlForm({ SMS_1_NUMBER: sender, SMS_1_TEXT: "x" }))).toMatchObject({
        messages: [{ from: sender }],
      });
    }
  });

  it("maps PhoneID to our number with the gateway's config, or leaves it to the gateway's only number", () => {
    const config = { phones: { modem1: "+998901112233", modem2: "+998901112244" } };
    expect(parse(curlForm({ PHONE_ID: "modem2", SMS_1_NUMBER: "x", SMS_1_TEXT: "y" }), config)).toMatchObject({
      messages: [{ to: "+998901112244" }],
    });
    expect(parse(curlForm({ PHONE_ID: "modem9", SMS_1_NUMBER: "x", SMS_1_TEXT: "y" }), config)).toMatchObject({
      messages: [{ to: undefined }],
    });
  });

  it("reads the inbox file name's time in the configured zone; SQL row ids carry no time", () => {
    const files = curlForm({ SMS_1_NUMBER: "x", SMS_1_TEXT: "y", ids: "IN20260102_030405_00_x_00.txt" });
    expect(parse(files, { timeZone: "Asia/Tashkent" })).toMatchObject({
      messages: [{ receivedAt: new Date("2026-01-01T22:04:05Z") }],
    });
    expect(parse(files, { timeZone: "+01:00" })).toMatchObject({
      messages: [{ receivedAt: new Date("2026-01-02T02:04:05Z") }],
    });
    const sql = curlForm({ PHONE_ID: "m", SMS_1_NUMBER: "x", SMS_1_TEXT: "y", ids: "4711" });
    expect(parse(sql)).toMatchObject({ messages: [{ receivedAt: null, sourceKey: "m:4711" }] });
    const nonsense = curlForm({ SMS_1_NUMBER: "x", SMS_1_TEXT: "y", ids: "IN20261399_256161_00_x_00.txt" });
    expect(parse(nonsense)).toMatchObject({ messages: [{ receivedAt: null }] });
  });

  it("keys a message without backend ids (null service) by the script's spool entry, and hashes long keys", () => {
    expect(
      parse(curlForm({ PHONE_ID: "m", SMS_1_NUMBER: "x", SMS_1_TEXT: "y", spool_id: "20261122T101502Z-77" })),
    ).toMatchObject({
      messages: [{ sourceKey: "spool:m:20261122T101502Z-77" }],
    });
    expect(parse(curlForm({ SMS_1_NUMBER: "x", SMS_1_TEXT: "y" }))).toMatchObject({
      messages: [{ sourceKey: undefined }],
    });
    const ids = Array.from({ length: 8 }, (_, i) => `IN20261122_101500_00_+998901112233_0${i}.txt`).join(" ");
    expect(parse(curlForm({ SMS_1_NUMBER: "x", SMS_1_TEXT: "y", ids }))).toMatchObject({
      messages: [{ sourceKey: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) }],
    });
  });

  it("ignores 8-bit data messages and MMS notifications (no text), so the script does not retry them", () => {
    expect(
      parse(
        curlForm({
          SMS_MESSAGES: "1",
          SMS_1_NUMBER: "+4915112345678",
          SMS_1_CLASS: "1",
          ids: "IN20261122_101500_00_x_00.bin",
        }),
      ),
    ).toEqual({
      ignored: "an 8-bit data message without text, not a text SMS",
    });
    expect(
      parse(
        curlForm({
          SMS_MESSAGES: "1",
          SMS_1_NUMBER: "+4915112345678",
          DECODED_PARTS: "1",
          DECODED_1_MMS_ADDRESS: "http://mms.example/x",
          DECODED_1_MMS_SENDER: "+4915112345678",
        }),
      ),
    ).toEqual({ ignored: "an MMS notification, not a text SMS" });
  });

  it("refuses a broken form (400) before anything else", () => {
    const expectError = (body: string, status: number, code: string) => {
      try {
        parse(body);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        expect(error).toMatchObject({ status, code });
      }
    };
    expectError("SMS_1_NUMBER=%ZZ&SMS_1_TEXT=x", 400, "malformed_body");
    expectError("SMS_1_NUMBER=a&SMS_1_NUMBER=b&SMS_1_TEXT=x", 400, "ambiguous_parameter");
    expectError("SMS_1_NUMBER=a&SMS_1_TEXT=%C3%28", 400, "malformed_body");
  });

  it("is what the gateway config accepts", () => {
    expect(
      gammu.configSchema!.safeParse({ phones: { modem1: "998 90 111 22 33" }, timeZone: "Asia/Tashkent" }),
    ).toMatchObject({
      success: true,
      data: { phones: { modem1: "+998901112233" }, timeZone: "Asia/Tashkent" },
    });
    expect(gammu.configSchema!.safeParse({ phones: { modem1: "090 111" } }).success).toBe(false);
    expect(gammu.configSchema!.safeParse({ phone: { modem1: "+998901112233" } }).success).toBe(false);
    expect(gammu.configSchema!.safeParse({ timeZone: "Mars/Olympus" }).success).toBe(false);
  });

  it("parses what curl posts in the form pipeline's own reader too", () => {
    expect(parseGammuForm(form(GOLDEN_BODY), {})).toEqual(parse(GOLDEN_BODY));
  });
});

describe("gammu through the real pipeline (PGlite)", () => {
  const pipeline = pipelineDatabase(PUBLIC_URL);

  const givenGateway = (config?: (numbers: string[]) => Record<string, unknown>, count = 1) =>
    pipeline.givenGateway("gammu", config, count);

  async function post(gateway: string, body: string | Uint8Array, headers: Record<string, string>, method = "POST") {
    const request = new Request(`http://127.0.0.1:3000/api/inbound/${gateway}`, {
      method,
      headers,
      body: method === "POST" ? (typeof body === "string" ? body : (body as Uint8Array<ArrayBuffer>)) : undefined,
    });
    return pipeline.ingest(gateway, request);
  }

  const inbox = async (number: string) => (await pipeline.inbox(number, 50)).messages;

  it("stores the golden request, answers in the script's dialect, and stores a retry once", async () => {
    const { id, apiKey, number } = await givenGateway();
    const headers = { authorization: `Bearer ${apiKey}`, "content-type": FORM };
    const first = await post(id, GOLDEN_BODY, headers);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toMatch(/^application\/json/);
    const answer = (await first.json()) as { accepted: number; duplicates: number; ids: number[] };
    expect(answer).toMatchObject({ accepted: 1, duplicates: 0 });

    const [message] = await inbox(number);
    expect(message).toMatchObject({
      id: answer.ids[0],
      number,
      from: "+45409000931640979",
      text: "Your code is 51234 & welcome ☺",
      code: "51234",
      receivedAt: "2002-11-30T02:15:31.000Z",
    });

    const retry = await post(id, GOLDEN_BODY, headers);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ accepted: 0, duplicates: 1, ids: answer.ids });
    expect(await inbox(number)).toHaveLength(1);

    // The same backend ids with other content: not a retry. 409, and kept in quarantine for the operator.
    const other = await post(id, GOLDEN_BODY.replace("51234", "99999"), headers);
    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({ error: "idempotency_conflict" });
    expect(await inbox(number)).toHaveLength(1);
    expect((await listQuarantine(pipeline.db)).find((q) => q.gateway === id)).toMatchObject({
      error: "idempotency_conflict",
    });
  });

  it("stores a long SMS SMSD joined as one message with its part count", async () => {
    const { id, apiKey, number } = await givenGateway();
    const response = await post(id, MULTIPART_BODY, {
      authorization: `Bearer ${apiKey}`,
      "content-type": `${FORM}; charset=UTF-8`,
    });
    expect(response.status).toBe(200);
    expect(await inbox(number)).toMatchObject([
      { text: "Привет! Это длинное сообщение, код 771204 😀", code: "771204" },
    ]);
  });

  it("routes by PhoneID on a gateway with several numbers, and says so when it cannot", async () => {
    const { id, apiKey, numbers } = await givenGateway((n) => ({ phones: { modem1: n[0], modem2: n[1] } }), 2);
    const headers = { authorization: `Bearer ${apiKey}`, "content-type": FORM };
    expect((await post(id, GOLDEN_BODY.replace("PHONE_ID=modem1", "PHONE_ID=modem2"), headers)).status).toBe(200);
    expect(await inbox(numbers[1]!)).toMatchObject([{ text: "Your code is 51234 & welcome ☺" }]);
    expect(await inbox(numbers[0]!)).toEqual([]);

    const unmapped = await post(
      id,
      GOLDEN_BODY.replace("PHONE_ID=modem1", "PHONE_ID=modem9").replace("_00.txt", "_09.txt"),
      headers,
    );
    expect(unmapped.status).toBe(422);
    expect(await unmapped.json()).toMatchObject({ error: "unknown_recipient" });
  });

  it("answers the bad-input cases of docs/ingest-sources.md §16.6 that a Gammu host can meet", async () => {
    const { id, apiKey, number } = await givenGateway();
    const key = { authorization: `Bearer ${apiKey}` };
    const form = { ...key, "content-type": FORM };
    const cases: [string, Promise<Response>, number, string][] = [
      ["#1 unknown gateway", post("no-such-gateway", GOLDEN_BODY, form), 404, "unknown_gateway"],
      ["#2 GET", post(id, "", key, "GET"), 405, "method_not_allowed"],
      ["#3 no key", post(id, GOLDEN_BODY, { "content-type": FORM }), 401, "missing_credentials"],
      [
        "#3 wrong key",
        post(id, GOLDEN_BODY, { authorization: "Bearer nbx_wrong", "content-type": FORM }),
        401,
        "bad_key",
      ],
      ["#8 JSON", post(id, "{}", { ...key, "content-type": "application/json" }), 415, "unsupported_media_type"],
      ["#9 too large", post(id, `SMS_1_TEXT=${"a".repeat(262145)}`, form), 413, "payload_too_large"],
      ["#11 bad escape", post(id, "SMS_1_NUMBER=%E2%98&SMS_1_TEXT=%", form), 400, "malformed_body"],
      [
        "#12 invalid UTF-8",
        post(id, Uint8Array.from([...Buffer.from("SMS_1_NUMBER=x&SMS_1_TEXT="), 0xff]), form),
        400,
        "invalid_utf8",
      ],
      ["#13 ambiguous", post(id, "SMS_1_NUMBER=a&SMS_1_NUMBER=b&SMS_1_TEXT=x", form), 400, "ambiguous_parameter"],
      ["#14 no sender", post(id, "SMS_MESSAGES=1&SMS_1_TEXT=hello", form), 422, "missing_sender"],
      [
        "#15 junk sender",
        post(id, curlForm({ SMS_1_NUMBER: "+1234567890123456789012", SMS_1_TEXT: "x" }), form),
        422,
        "invalid_sender",
      ],
    ];
    for (const [name, response, status, code] of cases) {
      const r = await response;
      expect(r.status, name).toBe(status);
      expect(await r.json(), name).toMatchObject({ error: code });
    }
    expect(await inbox(number)).toHaveLength(0);
    // The authenticated ones that failed after authentication are kept for the operator.
    const kept = (await listQuarantine(pipeline.db)).filter((q) => q.gateway === id).map((q) => q.error);
    expect(kept).toEqual(
      expect.arrayContaining(["missing_sender", "invalid_sender", "ambiguous_parameter", "invalid_utf8"]),
    );
  });

  it("acknowledges an 8-bit data message without storing it", async () => {
    const { id, apiKey, number } = await givenGateway();
    const response = await post(
      id,
      curlForm({ SMS_MESSAGES: "1", SMS_1_NUMBER: "+4915112345678", ids: "IN20261122_101500_00_x_00.bin" }),
      {
        authorization: `Bearer ${apiKey}`,
        "content-type": FORM,
      },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, ignored: true });
    expect(await inbox(number)).toHaveLength(0);
  });
});

/**
 * The script itself (POSIX sh + curl), against a stand-in for the site that answers with chosen statuses: what
 * it posts, what it spools, what it keeps and what it gives up on. The real site is e2e/modem-scripts.pglite.spec.ts.
 */
describe("numbox-gammu.sh", () => {
  type Seen = { method: string; url: string; headers: http.IncomingHttpHeaders; body: Buffer };
  let dir: string;
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function fakeSite(statuses: number[]) {
    const seen: Seen[] = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) });
        const status = req.url!.endsWith("/heartbeat") ? 200 : statuses.length > 1 ? statuses.shift()! : statuses[0]!;
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(status < 300 ? { accepted: 1 } : { error: "test_refusal", detail: `status ${status}` }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
      url,
      seen,
      posts: () => seen.filter((s) => !s.url.endsWith("/heartbeat")),
      close: () => new Promise((r) => server.close(r)),
    };
  }

  function setup() {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "numbox-gammu-test-"));
    // A stand-in logger: what the script sends to syslog lands in a file.
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, "logger"), `#!/bin/sh\nprintf '%s\\n' "$*" >>"${dir}/syslog"\n`, { mode: 0o755 });
    return {
      spool: path.join(dir, "spool"),
      bin,
      syslog: () => (fs.existsSync(`${dir}/syslog`) ? fs.readFileSync(`${dir}/syslog`, "utf8") : ""),
    };
  }

  function run(args: string[], env: Record<string, string>, options: { bin: string; closeFds?: boolean }) {
    const argv = options.closeFds
      ? ["-c", 'exec <&- >&- 2>&-; exec sh "$0" "$@"', SCRIPT, ...args] // as Gammu SMSD runs it: no stdio at all
      : [SCRIPT, ...args];
    const child = spawn("sh", argv, {
      env: {
        NODE_ENV: "production",
        PATH: `${options.bin}:/usr/bin:/bin`,
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

  const spooled = (spool: string) =>
    fs.existsSync(spool)
      ? fs
          .readdirSync(spool)
          .filter((f) => f.endsWith(".gammu"))
          .sort()
      : [];
  const message = (text: string, extra: Record<string, string> = {}) => ({
    SMS_MESSAGES: "1",
    DECODED_PARTS: "0",
    PHONE_ID: "modem1",
    SMS_1_NUMBER: "+998901112233",
    SMS_1_TEXT: text,
    ...extra,
  });

  it("posts SMSD's environment as a form the adapter reads back exactly, with the key as a bearer token", async () => {
    const site = await fakeSite([200]);
    const { spool, bin } = setup();
    const text = "Привет 😀\nline \"2\" & a=b 100% +1 'q' $HOME `x` \\n";
    const env = {
      NUMBOX_URL: `${site.url}/`,
      NUMBOX_GATEWAY: "gammu-1",
      NUMBOX_KEY: "nbx_test_key",
      NUMBOX_SPOOL: spool,
      SMS_MESSAGES: "2",
      DECODED_PARTS: "2",
      PHONE_ID: "modem1",
      SMS_1_NUMBER: "+998901112233",
      SMS_1_TEXT: "part one",
      SMS_2_NUMBER: "+998901112233",
      SMS_2_TEXT: "part two",
      DECODED_1_TEXT: text,
      DECODED_2_TEXT: " — end",
    };
    const result = await run(
      ["IN20261122_101500_00_+998901112233_00.txt", "IN20261122_101500_00_+998901112233_01.txt"],
      env,
      { bin },
    );
    await site.close();
    expect(result).toEqual({ code: 0, stderr: "" });
    const [request] = site.posts();
    expect(request).toMatchObject({ method: "POST", url: "/api/inbound/gammu-1" });
    expect(request!.headers).toMatchObject({ authorization: "Bearer nbx_test_key", "content-type": FORM });
    const parsed = parseGammuForm(new Map(new URLSearchParams(request!.body.toString("utf8"))), {});
    expect(parsed).toMatchObject({
      messages: [
        {
          from: "+998901112233",
          text: `${text} — end`,
          segments: 2,
          sourceKey: "modem1:IN20261122_101500_00_+998901112233_00.txt IN20261122_101500_00_+998901112233_01.txt",
          receivedAt: new Date("2026-11-22T10:15:00Z"),
        },
      ],
    });
    expect(spooled(spool)).toEqual([]);
  });

  it("spools while the site is down, exits 0, and --flush delivers oldest first once it is back", async () => {
    const { spool, bin } = setup();
    const down = { NUMBOX_URL: "http://127.0.0.1:9", NUMBOX_GATEWAY: "gammu-1", NUMBOX_KEY: "k", NUMBOX_SPOOL: spool };
    expect((await run(["IN20261122_101500_00_x_00.txt"], { ...down, ...message("first") }, { bin })).code).toBe(0);
    await new Promise((r) => setTimeout(r, 1100)); // entries are named by the second they were spooled in
    expect((await run(["IN20261122_101501_00_x_00.txt"], { ...down, ...message("second") }, { bin })).code).toBe(0);
    expect(spooled(spool)).toHaveLength(2);

    const site = await fakeSite([200]);
    const flush = await run(["--flush"], { ...down, NUMBOX_URL: site.url }, { bin });
    await site.close();
    expect(flush.code).toBe(0);
    expect(site.posts().map((r) => new URLSearchParams(r.body.toString()).get("SMS_1_TEXT"))).toEqual([
      "first",
      "second",
    ]);
    expect(spooled(spool)).toEqual([]);
    // --flush also tells the site the host is alive.
    expect(site.seen.at(-1)).toMatchObject({ method: "POST", url: "/api/inbound/gammu-1/heartbeat" });
  });

  it("moves a refused message to failed/ with the site's answer and goes on; keeps what the site cannot take now", async () => {
    const { spool, bin, syslog } = setup();
    const settings = { NUMBOX_GATEWAY: "gammu-1", NUMBOX_KEY: "k", NUMBOX_SPOOL: spool };
    for (const text of ["bad", "good", "later"]) {
      await run([], { ...settings, NUMBOX_URL: "http://127.0.0.1:9", ...message(text) }, { bin });
      await new Promise((r) => setTimeout(r, 1100));
    }
    const site = await fakeSite([422, 200, 503]);
    const flush = await run(["--flush"], { ...settings, NUMBOX_URL: site.url }, { bin });
    expect(flush.code).toBe(75); // something still waits
    expect(site.posts()).toHaveLength(3);
    const failed = fs.readdirSync(path.join(spool, "failed")).sort();
    expect(failed).toHaveLength(2);
    expect(fs.readFileSync(path.join(spool, "failed", failed[0]!, "SMS_1_TEXT"), "utf8")).toBe("bad");
    expect(fs.readFileSync(path.join(spool, "failed", failed[1]!), "utf8")).toContain("status 422");
    expect(syslog()).toMatch(/numbox-gammu -p user.err .*refused .* with 422 .*status 422/);
    expect(syslog()).toMatch(/user.warning .*answered 503/);
    expect(spooled(spool).map((f) => fs.readFileSync(path.join(spool, f, "SMS_1_TEXT"), "utf8"))).toEqual(["later"]);

    // A wrong key or gateway is the host's settings, not the message: kept, and the pass stops there.
    const wrongKey = await fakeSite([401]);
    expect((await run(["--flush"], { ...settings, NUMBOX_URL: wrongKey.url }, { bin })).code).toBe(75);
    expect(spooled(spool)).toHaveLength(1);
    await Promise.all([site.close(), wrongKey.close()]);
  });

  it("stops a pass at the first message the site cannot take, so the order holds", async () => {
    const { spool, bin } = setup();
    const settings = { NUMBOX_GATEWAY: "gammu-1", NUMBOX_KEY: "k", NUMBOX_SPOOL: spool };
    for (const text of ["one", "two"]) {
      await run([], { ...settings, NUMBOX_URL: "http://127.0.0.1:9", ...message(text) }, { bin });
      await new Promise((r) => setTimeout(r, 1100));
    }
    const site = await fakeSite([429]);
    expect((await run(["--flush"], { ...settings, NUMBOX_URL: site.url }, { bin })).code).toBe(75);
    await site.close();
    expect(site.posts()).toHaveLength(1);
    expect(spooled(spool)).toHaveLength(2);
  });

  it("works with every standard descriptor closed, as Gammu SMSD runs it", async () => {
    const site = await fakeSite([200]);
    const { spool, bin } = setup();
    const env = {
      NUMBOX_URL: site.url,
      NUMBOX_GATEWAY: "gammu-1",
      NUMBOX_KEY: "k",
      NUMBOX_SPOOL: spool,
      ...message("no stdio"),
    };
    expect((await run(["IN20261122_101500_00_x_00.txt"], env, { bin, closeFds: true })).code).toBe(0);
    await site.close();
    expect(new URLSearchParams(site.posts()[0]!.body.toString()).get("SMS_1_TEXT")).toBe("no stdio");
    expect(fs.readdirSync(spool).filter((f) => !f.startsWith("."))).toEqual([]);
  });

  it("leaves delivery to a run that holds the lock, and takes over a lock whose holder died", async () => {
    const { spool, bin } = setup();
    fs.mkdirSync(spool);
    const site = await fakeSite([200]);
    const env = {
      NUMBOX_URL: site.url,
      NUMBOX_GATEWAY: "gammu-1",
      NUMBOX_KEY: "k",
      NUMBOX_SPOOL: spool,
      ...message("locked"),
    };

    // A live holder (this test's sh, which has numbox-gammu in its command line).
    const holder = spawn("sh", ["-c", "while :; do sleep 0.1; done", "numbox-gammu-holder"], { stdio: "ignore" });
    fs.symlinkSync(String(holder.pid), path.join(spool, ".lock-gammu"));
    expect((await run([], env, { bin })).code).toBe(0);
    expect(site.posts()).toHaveLength(0);
    expect(spooled(spool)).toHaveLength(1);
    await new Promise((r) => {
      holder.on("exit", r);
      holder.kill();
    });

    // The holder is gone (its pid may even belong to another program now): the next run takes over.
    expect((await run(["--flush"], env, { bin })).code).toBe(0);
    await site.close();
    expect(site.posts()).toHaveLength(1);
    expect(spooled(spool)).toEqual([]);
    expect(fs.existsSync(path.join(spool, ".lock-gammu"))).toBe(false);
  });

  it("spools even when it is not configured yet, and says what is missing", async () => {
    const { spool, bin, syslog } = setup();
    const result = await run(["IN20261122_101500_00_x_00.txt"], { NUMBOX_SPOOL: spool, ...message("early") }, { bin });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("not configured: NUMBOX_URL NUMBOX_GATEWAY NUMBOX_KEY missing");
    expect(syslog()).toContain("not configured");
    expect(spooled(spool)).toHaveLength(1);
    expect((await run(["--flush"], { NUMBOX_SPOOL: spool }, { bin })).code).toBe(78);
  });

  it("reads its settings from the config file", async () => {
    const site = await fakeSite([200]);
    const { spool, bin } = setup();
    const conf = path.join(dir, "gammu.conf");
    fs.writeFileSync(
      conf,
      `NUMBOX_URL=${site.url}\nNUMBOX_GATEWAY=from-file\nNUMBOX_KEY=file_key\nNUMBOX_SPOOL=${spool}\n`,
    );
    expect((await run([], { NUMBOX_CONFIG: conf, ...message("configured") }, { bin })).code).toBe(0);
    await site.close();
    expect(site.posts()[0]).toMatchObject({
      url: "/api/inbound/from-file",
      headers: { authorization: "Bearer file_key" },
    });
  });
});
