import net from "node:net";
import http from "node:http";
import fc from "fast-check";
import { test, expect } from "./fixtures";

// CI replays one fixed exploration so that a red run is reproducible; FC_SEED=random explores afresh (and a
// failure prints the seed and path to replay it).
if (process.env.FC_SEED !== "random") fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261122) });

/**
 * Property-based tests against the running server: random and adversarial requests at the ingestion route and
 * the read API. Whatever comes in, the answer is never a 5xx, an error is a JSON {"error","detail"}, the server
 * keeps answering, and every valid message sent in between (and anything the random requests got accepted) is
 * stored. About 300 requests per server, so the suite stays fast.
 *
 * Requests go out through node:http rather than fetch, which would refuse or repair many of these inputs (raw
 * paths with bad escapes, odd methods, bodies on GET). Each test uses its own loopback source address
 * (127.x.y.z), so that the per-address read limits count it apart from the tests running beside it.
 */

type Reply = { status: number; contentType: string; body: string } | { status: "timeout" };

function loopbackAddress(): string {
  const byte = () => 2 + Math.floor(Math.random() * 250);
  return `127.${byte()}.${byte()}.${byte()}`;
}

function send(
  base: string,
  request: { method: string; path: string; headers?: Record<string, string>; body?: Uint8Array | string },
  localAddress: string,
  timeoutMs = 3000,
): Promise<Reply> {
  const { hostname, port } = new URL(base);
  const headers = { ...request.headers };
  // Node sends DELETE and OPTIONS bodies neither chunked nor with a length unless told: the bytes would be
  // read as a second, garbled request.
  if (request.body !== undefined) headers["content-length"] = String(Buffer.byteLength(request.body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: hostname, port, localAddress, method: request.method, path: request.path, headers, agent: false },
      (res) => {
        // An event stream or a wait that is still open after its status line: alive, which is all we check.
        if (/event-stream/.test(res.headers["content-type"] ?? "")) {
          res.destroy();
          return resolve({ status: res.statusCode!, contentType: "text/event-stream", body: "" });
        }
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode!,
            contentType: res.headers["content-type"] ?? "",
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      resolve({ status: "timeout" });
    });
    req.on("error", (error) => (req.destroyed ? undefined : reject(error)));
    if (request.body !== undefined) req.write(request.body);
    req.end();
  });
}

/** Never a 5xx; a 4xx from the API says what was wrong, as JSON. */
function expectClientAnswer(reply: Reply, what: string, method: string) {
  if (reply.status === "timeout") return; // a wait or stream that was valid and is still waiting
  expect(reply.status, what).toBeLessThan(500);
  // 431: Node's HTTP parser refuses more than 16 KiB of headers before any of our code runs, without a body.
  if (reply.status >= 400 && reply.status !== 431 && method !== "HEAD") {
    expect(reply.contentType, what).toMatch(/^application\/json/);
    const body = JSON.parse(reply.body) as { error?: unknown; detail?: unknown };
    expect(typeof body.error, what).toBe("string");
    expect(typeof body.detail, what).toBe("string");
  }
}

// Strings that break parsers: escapes, signs, exponents, huge and non-ASCII digits, separators, nothing at all,
// and NULs, which the database cannot store (in a path or query they go out as "%00").
const nasty = fc.constantFrom(
  "",
  "\u0000",
  "+998\u0000940373339",
  "-1",
  "0",
  "-0",
  "1e3",
  "0x10",
  "1.5",
  " 7",
  "NaN",
  "Infinity",
  "9".repeat(40),
  "9007199254740993",
  "\u0663\u0664",
  "%",
  "%zz",
  "%00",
  "%2F..%2F",
  "%C0%AF",
  "%E2%80%AE",
  "null",
  "[]",
  "{}",
  "a".repeat(5000),
);
/** A valid value with a NUL somewhere in it: the rest of the message may well be valid, so that it is the NUL that is met. */
const withNul = (value: string) =>
  fc.nat({ max: value.length }).map((i) => `${value.slice(0, i)}\u0000${value.slice(i)}`);
/** Percent-encodes a value but leaves its own "%" as they are, so broken escapes ("%zz") reach the server raw. */
const keepEscapes = (v: string) => encodeURIComponent(v).replace(/%25/g, "%");
const anyValue = fc.oneof(nasty, fc.string({ maxLength: 40 }), fc.integer().map(String), fc.nat().map(String));
const queryString = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom("limit", "before", "after", "timeout", "from", "service", "q", "contains", "country", "key"),
        fc.string({ maxLength: 10 }),
      ),
      anyValue,
    ),
    {
      maxLength: 6,
    },
  )
  .map((pairs) =>
    pairs.length ? `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${keepEscapes(v)}`).join("&")}` : "",
  );

/** A path segment: real numbers in their accepted spellings, and everything else. Raw escapes stay raw. */
const segment = (digits: string) =>
  fc.oneof(
    fc.constantFrom(
      digits,
      `+${digits}`,
      `%2B${digits}`,
      `${digits}0`,
      "998000000009",
      "0",
      "+",
      "..",
      "%2e%2e",
      "%2F",
      "%00",
    ),
    nasty.map(keepEscapes),
    fc.string({ maxLength: 30 }).map(encodeURIComponent),
    fc.string({ unit: "grapheme", maxLength: 10 }).map(encodeURIComponent),
  );

/**
 * Header values node:http will put on the wire (it refuses control characters itself). Long ones stay under
 * Node's 16 KiB header limit even four at a time: past it Node answers 431 and drops the connection, which the
 * dedicated test at the end checks.
 */
const headerValue = fc
  .oneof(nasty, fc.string({ maxLength: 50 }), fc.constant("9".repeat(3_000)))
  .map((v) => v.replace(/[^\t\x20-\x7e]/g, "?"));

test.describe("property: the server answers any input with a 2xx, 3xx or a clear 4xx", () => {
  test.setTimeout(120_000);

  test("ingestion: random methods, bodies, content types, queries and headers; valid messages in between all stored", async ({
    numbox,
  }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const from = loopbackAddress();
    const stored = new Map<number, string>(); // id → text, for everything a 200 said was stored
    let sequence = 0;

    const message = fc.record(
      {
        to: fc.oneof(fc.constant(number), fc.constant(digits), anyValue, fc.anything(), withNul(number)),
        from: fc.oneof(fc.constant("Telegram"), anyValue, fc.anything(), withNul("Telegram")),
        text: fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.string({ unit: "binary", maxLength: 200 }),
          anyValue,
          fc.anything(),
        ),
        receivedAt: fc.oneof(
          fc.constant("2026-11-22T10:00:00Z"),
          anyValue,
          fc.anything(),
          withNul("2026-11-22T10:00:00Z"),
        ),
        id: fc.oneof(fc.uuid(), anyValue, fc.anything(), fc.uuid().chain(withNul)),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      message.map((m) => JSON.stringify(m)),
      fc.array(message, { maxLength: 120 }).map((messages) => JSON.stringify({ messages })),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 300 }),
      fc.uint8Array({ maxLength: 2000 }),
      fc.constantFrom(
        "",
        "{",
        "[".repeat(100_000),
        `{"to":"${number}","from":"x","text":"${"a".repeat(300_000)}"}`,
        '{"__proto__":{"admin":true},"to":1}',
        "to=%zz&from=%&text=%E2%82",
        "\uFEFF{}",
      ),
    );
    const request = fc.record({
      method: fc.constantFrom("GET", "POST", "POST", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"),
      gateway: fc.oneof(
        fc.constant(gateway),
        fc.constant(gateway),
        segment(digits),
        fc.constantFrom("heartbeat", `${gateway}/heartbeat`),
      ),
      query: queryString,
      contentType: fc.option(
        fc.oneof(
          fc.constantFrom(
            "application/json",
            "application/json; charset=utf-8",
            "application/json; charset=latin1",
            "APPLICATION/JSON",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=xyz",
            "multipart/form-data",
            "text/plain",
            "application/xml",
            "*/*",
            "application/json;;;=",
          ),
          headerValue,
        ),
      ),
      authorization: fc.option(
        fc.oneof(
          fc.constant(`Bearer ${key}`),
          fc.constant(`Bearer ${key}`),
          headerValue,
          headerValue.map((v) => `Bearer ${v}`),
        ),
      ),
      extra: fc.dictionary(
        fc.constantFrom(
          "x-forwarded-for",
          "x-numbox-peer",
          "x-numbox-raw-url",
          "last-event-id",
          "content-encoding",
          "x-twilio-signature",
          "range",
        ),
        headerValue,
        { maxKeys: 3 },
      ),
      body: fc.option(body),
    });

    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = { ...r.extra };
        if (r.contentType !== null) headers["content-type"] = r.contentType;
        if (r.authorization !== null) headers.authorization = r.authorization;
        const sendsBody = r.body !== null && r.method !== "GET" && r.method !== "HEAD";
        const what = `${r.method} ${r.gateway}${r.query.slice(0, 80)}`;
        const reply = await send(
          numbox.url,
          {
            method: r.method,
            path: `/api/inbound/${r.gateway}${r.query}`,
            headers,
            body: sendsBody ? r.body! : undefined,
          },
          from,
        );
        expect(reply.status, what).not.toBe("timeout");
        expectClientAnswer(reply, what, r.method);
        if (reply.status === 200 && /^application\/json/.test(reply.contentType)) {
          const accepted = JSON.parse(reply.body) as { ids?: number[] };
          for (const id of accepted.ids ?? []) stored.set(id, "");
        }

        // A real message right after: stored, whatever came before it.
        const text = `property ${sequence++}: code ${1000 + sequence}`;
        const valid = await send(
          numbox.url,
          {
            method: "POST",
            path: `/api/inbound/${gateway}`,
            headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
            body: JSON.stringify({ to: number, from: "Telegram", text }),
          },
          from,
        );
        expect(valid.status === "timeout" ? valid.status : valid.body, what).toMatch(/"accepted":1/);
        const { ids } = JSON.parse((valid as { body: string }).body) as { ids: number[] };
        stored.set(ids[0]!, text);
      }),
      { numRuns: 130 },
    );

    // Everything a 200 promised is there, each valid message with its text.
    const found = new Map<number, string>();
    let before: number | null = null;
    const reader = loopbackAddress();
    do {
      const page = await send(
        numbox.url,
        { method: "GET", path: `/api/v1/numbers/${digits}/messages?limit=100${before ? `&before=${before}` : ""}` },
        reader,
      );
      expect(page.status).toBe(200);
      const { messages, next } = JSON.parse((page as { body: string }).body) as {
        messages: { id: number; text: string }[];
        next: number | null;
      };
      for (const m of messages) found.set(m.id, m.text);
      before = next;
    } while (before !== null);
    for (const [id, text] of stored) {
      expect(found.has(id), `message ${id}`).toBe(true);
      if (text) expect(found.get(id)).toBe(text);
    }
    expect([...stored.values()].filter(Boolean)).toHaveLength(sequence);
  });

  test("read API: random path segments, cursors, limits, queries and Last-Event-ID", async ({ numbox }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    expect((await numbox.inbound(gateway, key, { to: number, from: "Svc", text: "Your code is 4821" })).status).toBe(
      200,
    );
    const from = loopbackAddress();

    const request = fc.record({
      method: fc.constantFrom("GET", "GET", "GET", "HEAD", "POST", "DELETE", "OPTIONS"),
      route: fc.constantFrom("messages", "messages", "stream", "wait", "", "numbers", "countries"),
      number: segment(digits),
      query: queryString,
      lastEventId: fc.option(headerValue),
    });

    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const path =
          r.route === "numbers"
            ? `/api/v1/numbers${r.query}`
            : r.route === "countries"
              ? `/api/v1/countries${r.query}`
              : `/api/v1/numbers/${r.number}${r.route ? `/${r.route}` : ""}${r.query}`;
        const headers: Record<string, string> = {};
        if (r.lastEventId !== null) headers["last-event-id"] = r.lastEventId;
        // A valid wait waits for its timeout (1 s at least): give it that long, then it counts as alive.
        const reply = await send(numbox.url, { method: r.method, path, headers }, from, 2500);
        expectClientAnswer(
          reply,
          `${r.method} ${path.slice(0, 120)} last-event-id=${r.lastEventId?.slice(0, 40)}`,
          r.method,
        );
      }),
      { numRuns: 110 },
    );

    // Still answering, and the number's messages are intact.
    const after = await send(
      numbox.url,
      { method: "GET", path: `/api/v1/numbers/${digits}/messages` },
      loopbackAddress(),
    );
    expect(after.status).toBe(200);
    expect((after as { body: string }).body).toContain("Your code is 4821");
  });

  test("a long or malformed Last-Event-ID is a 400 that names it", async ({ numbox }) => {
    const { digits } = await numbox.gatewayWithNumber();
    for (const value of ["9".repeat(10_000), "-1", "abc", "1.5", "0x1", "12 34"]) {
      const reply = await send(
        numbox.url,
        { method: "GET", path: `/api/v1/numbers/${digits}/stream`, headers: { "last-event-id": value } },
        loopbackAddress(),
      );
      expect(reply.status, value.slice(0, 20)).toBe(400);
      expect((reply as { body: string }).body).toContain("Last-Event-ID");
    }
  });
});

test("a broken %-escape or a NUL anywhere in a path is a 400, not a 500", async ({ numbox }) => {
  const { gateway } = await numbox.gatewayWithNumber();
  for (const path of [
    "/numbers/%zz",
    "/numbers/%C0%AF",
    "/countries/%",
    "/api/v1/numbers/%zz/messages",
    "/api/v1/numbers/%00/messages",
    "/api/inbound/%zz",
    "/api/inbound/%00",
    `/api/inbound/${gateway}%00`,
    `/api/inbound/${gateway}/heartbeat%00`,
    "/api/admin/gateways/%00/rotate",
  ]) {
    const reply = await send(
      numbox.url,
      { method: "POST", path, headers: { "content-type": "application/json" }, body: "{}" },
      loopbackAddress(),
    );
    expect(reply.status, path).toBe(400);
    expect(JSON.parse((reply as { body: string }).body), path).toMatchObject({ error: "malformed_path" });
  }
  // A gateway id no gateway can have is unknown, without asking the database.
  const odd = await send(
    numbox.url,
    { method: "POST", path: "/api/inbound/%01%7F", headers: { "content-type": "application/json" }, body: "{}" },
    loopbackAddress(),
  );
  expect(odd.status).toBe(404);
});

test("headers larger than the server accepts get 431, and the server keeps answering", async ({ numbox }) => {
  const { hostname, port } = new URL(numbox.url);
  const head = await new Promise<string>((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(
        `GET /api/v1/countries HTTP/1.1\r\nHost: ${hostname}\r\nX-Forwarded-For: ${"9".repeat(20_000)}\r\n\r\n`,
      );
    });
    let data = "";
    socket.on("data", (chunk) => (data += chunk));
    socket.on("close", () => resolve(data));
    socket.on("error", (error) => (data ? resolve(data) : reject(error)));
  });
  expect(head).toMatch(/^HTTP\/1\.1 431/);
  expect((await numbox.get("/api/v1/countries")).status).toBe(200);
});
