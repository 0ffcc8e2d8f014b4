import net from "node:net";
import { randomBytes, randomUUID } from "node:crypto";
import { test, expect, type Numbox, freshDigits } from "./fixtures";

/**
 * Security regressions: inputs that once got a 5xx (or no answer at all), each replayed against the running
 * server on both databases. A 5xx tells a modem script or a provider to retry what will fail forever; every one
 * of these is the client's mistake and gets a 4xx saying so, as JSON.
 */

type Raw = { status: number; headers: Map<string, string>; body: string };

/**
 * Sends bytes as they are over a socket of its own and reads the answer to the end: fetch and node:http would
 * refuse, or repair, most of these request lines. Bodies are read by Content-Length (what our refusals send);
 * for anything else only the status and headers are looked at.
 */
function raw(base: string, requestLine: string, headers: Record<string, string> = {}): Promise<Raw> {
  const { hostname, port } = new URL(base);
  const lines = [
    requestLine,
    `Host: ${hostname}:${port}`,
    "Connection: close",
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(Number(port), hostname, () => socket.write(`${lines.join("\r\n")}\r\n\r\n`));
    socket.setTimeout(15_000, () => socket.destroy(new Error(`no complete answer to ${requestLine}`)));
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const end = text.indexOf("\r\n\r\n");
      if (end < 0) return reject(new Error(`no answer to ${requestLine}: ${JSON.stringify(text)}`));
      const [status, ...fields] = text.slice(0, end).split("\r\n");
      const parsed = new Map(
        fields.map((f) => [f.slice(0, f.indexOf(":")).toLowerCase(), f.slice(f.indexOf(":") + 1).trim()]),
      );
      const length = Number(parsed.get("content-length") ?? NaN);
      const rest = text.slice(end + 4);
      resolve({
        status: Number(status!.split(" ")[1]),
        headers: parsed,
        body: Number.isNaN(length) ? rest : rest.slice(0, length),
      });
    });
  });
}

/** A JSON refusal with the headers every response carries. */
function expectRefusal(reply: Raw, status: number, error: string, what: string) {
  expect(reply.status, what).toBe(status);
  expect(reply.headers.get("content-type"), what).toMatch(/^application\/json/);
  expect(JSON.parse(reply.body), what).toMatchObject({ error, detail: expect.any(String) });
  expect(reply.headers.get("x-content-type-options"), what).toBe("nosniff");
  expect(reply.headers.get("content-security-policy"), what).toContain("default-src 'none'");
}

test.describe("hardening: request lines and targets", () => {
  test("TRACE and CONNECT are 405 with the methods we take, on every kind of path", async ({ numbox }) => {
    const { gateway, digits } = await numbox.gatewayWithNumber();
    for (const path of [
      "/",
      `/numbers/${digits}`,
      "/api/v1/countries",
      `/api/inbound/${gateway}`,
      "/api/admin/gateways",
      "/icon.svg",
    ]) {
      const reply = await raw(numbox.url, `TRACE ${path} HTTP/1.1`);
      expectRefusal(reply, 405, "method_not_allowed", `TRACE ${path}`);
      expect(reply.headers.get("allow")).toContain("GET");
    }
    const { hostname, port } = new URL(numbox.url);
    for (const target of [`${hostname}:${port}`, "elsewhere.example:443"]) {
      const reply = await raw(numbox.url, `CONNECT ${target} HTTP/1.1`);
      expectRefusal(reply, 405, "method_not_allowed", `CONNECT ${target}`);
    }
  });

  test("'*' is a target for OPTIONS only; other methods get a 400", async ({ numbox }) => {
    const options = await raw(numbox.url, "OPTIONS * HTTP/1.1");
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toContain("POST");
    for (const method of ["PATCH", "GET", "POST", "DELETE", "M-SEARCH"]) {
      expectRefusal(await raw(numbox.url, `${method} * HTTP/1.1`), 400, "malformed_target", `${method} *`);
    }
  });

  test("an absolute URL as the target is served by its path, never redirected to the host it names", async ({
    numbox,
  }) => {
    const countries = await raw(numbox.url, "GET http://elsewhere.example/api/v1/countries HTTP/1.1");
    expect(countries.status).toBe(200);
    expect(countries.headers.get("location")).toBeUndefined();
    expect(countries.headers.get("content-type")).toMatch(/^application\/json/);
    const home = await raw(numbox.url, "GET https://elsewhere.example HTTP/1.1");
    expect(home.status).toBe(200);
    expect(home.headers.get("location")).toBeUndefined();
    expectRefusal(
      await raw(numbox.url, "GET http://elsewhere.example/numbers/%zz HTTP/1.1"),
      400,
      "malformed_path",
      "broken escape",
    );
    expectRefusal(await raw(numbox.url, "GET ftp://elsewhere.example/ HTTP/1.1"), 400, "malformed_target", "ftp://");
  });

  test("a request line Node cannot parse is a JSON 400", async ({ numbox }) => {
    for (const line of ["TRACK / HTTP/1.1", "FOO / HTTP/1.1", "GET api/v1/countries HTTP/1.1", "GET /a b HTTP/1.1"]) {
      expectRefusal(await raw(numbox.url, line), 400, "malformed_request", line);
    }
  });

  test("a request that asks to upgrade (curl --http2 on http) is answered as the plain request it also is", async ({
    numbox,
  }) => {
    const h2c = { Connection: "Upgrade, HTTP2-Settings", Upgrade: "h2c", "HTTP2-Settings": "AAMAAABkAAQCAAAAAAIAAAAA" };
    const websocket = {
      Connection: "Upgrade",
      Upgrade: "websocket",
      "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
      "Sec-WebSocket-Version": "13",
    };
    for (const headers of [h2c, websocket, h2c]) {
      const reply = await raw(numbox.url, "GET /api/v1/countries HTTP/1.1", headers);
      expect(reply.status, headers.Upgrade).toBe(200);
      expect(reply.headers.get("content-type")).toMatch(/^application\/json/);
    }
    expectRefusal(
      await raw(numbox.url, "GET /numbers/%zz HTTP/1.1", h2c),
      400,
      "malformed_path",
      "h2c with a broken escape",
    );
    // And the server goes on answering.
    expect((await numbox.get("/api/v1/countries")).status).toBe(200);
  });
});

type Quarantined = { gateway: string; error: string; detail: string; body: string };

async function quarantinedFor(numbox: Numbox, gateway: string): Promise<Quarantined[]> {
  const listed = await numbox.admin("/quarantine?limit=1000", { method: "GET" });
  expect(listed.status).toBe(200);
  return ((await listed.json()) as Quarantined[]).filter((q) => q.gateway === gateway);
}

test.describe("hardening: a NUL anywhere in the input is a 4xx naming the field", () => {
  test("each field of the generic format, alone and in a batch: 422 naming it, quarantined, nothing stored", async ({
    numbox,
  }) => {
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    const valid = { to: number, from: "Telegram", text: "Telegram code: 51234" };
    const cases = [
      { field: "to", value: `${number}\u0000`, code: "unknown_recipient" },
      { field: "from", value: "Tele\u0000gram", code: "invalid_sender" },
      { field: "text", value: "code\u0000 51234", code: "invalid_text" },
      { field: "id", value: "modem-1:\u0000042", code: "invalid_id" },
      { field: "receivedAt", value: "2026-11-22T10:00:00Z\u0000", code: "invalid_received_at" },
    ];
    for (const { field, value, code } of cases) {
      const alone = await numbox.inbound(gateway, key, { ...valid, [field]: value });
      expect(alone.status, field).toBe(422);
      const body = (await alone.json()) as { error: string; detail: string };
      expect(body.error, field).toBe(code);
      expect(body.detail, field).toContain(`'${field}'`);
      expect(body.detail, field).not.toContain("\u0000");

      const batch = await numbox.inbound(gateway, key, { messages: [valid, { ...valid, [field]: value }] });
      expect(batch.status, `batch ${field}`).toBe(422);
      expect(((await batch.json()) as { detail: string }).detail, `batch ${field}`).toMatch(
        new RegExp(`^messages\\[1\\]: '${field}'`),
      );
    }
    // The batch is all or nothing: its valid first message was not stored either.
    const page = (await (await numbox.get(`/api/v1/numbers/${digits}/messages`)).json()) as { messages: unknown[] };
    expect(page.messages).toEqual([]);

    // Every refusal is kept for the operator, with the body exactly as sent.
    const kept = await quarantinedFor(numbox, gateway);
    expect(kept).toHaveLength(2 * cases.length);
    expect(kept.map((q) => q.error).sort()).toEqual(cases.flatMap((c) => [c.code, c.code]).sort());
    for (const q of kept) expect(q.body).toContain("\\u0000");
    // The request still goes through once it is right.
    expect((await numbox.inbound(gateway, key, { ...valid, id: "modem-1:000042" })).status).toBe(200);
  });

  test("a NUL in a GET source's query (Kannel) is a 4xx and quarantined", async ({ numbox }) => {
    const gateway = `kannel-${randomBytes(3).toString("hex")}`;
    const created = await numbox.admin("/gateways", { body: { id: gateway, kind: "kannel" } });
    expect(created.status).toBe(201);
    const { apiKey } = (await created.json()) as { apiKey: string };
    const digits = freshDigits("99891");
    expect((await numbox.admin("/numbers", { body: { number: `+${digits}`, gateway } })).status).toBe(201);

    const call = (fields: Record<string, string>) => {
      const query = Object.entries({
        id: randomUUID(),
        from: "447700900001",
        to: digits,
        text: "Your+code+is+51234",
        ...fields,
      })
        .map(([name, value]) => `${name}=${value}`)
        .join("&");
      return numbox.get(`/api/inbound/${gateway}?key=${apiKey}&${query}`);
    };
    for (const [field, value, code] of [
      ["id", "a%00b", "invalid_id"],
      ["from", "4477%0000900001", "invalid_sender"],
      ["text", "code%00+51234", "invalid_text"],
    ]) {
      const reply = await call({ [field!]: value! });
      expect(reply.status, field).toBe(422);
      expect(((await reply.json()) as { error: string }).error, field).toBe(code);
    }
    expect(await quarantinedFor(numbox, gateway)).toHaveLength(3);
    expect((await call({})).status).toBe(200);
  });

  test("a visitor's report with a NUL in a field or a field's name: 422 naming it, nothing stored", async ({
    numbox,
  }) => {
    const { digits, number } = await numbox.gatewayWithNumber();
    const report = (body: string) =>
      fetch(`${numbox.url}/api/v1/numbers/${digits}/reports`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body,
      });
    for (const [body, field] of [
      ['{"service":"Goo\\u0000gle"}', "service"],
      ['{"service":"Google","note":"codes never come\\u0000"}', "note"],
      ['{"service":"Google","n\\u0000ote":"x"}', "body"],
    ]) {
      const reply = await report(body!);
      expect(reply.status, body).toBe(422);
      const answer = (await reply.json()) as { error: string; detail: string };
      expect(answer.error, body).toBe("invalid_fields");
      expect(answer.detail, body).toMatch(new RegExp(`^${field}: .*NUL`));
    }
    const reports = (await (await numbox.admin("/reports?limit=1000", { method: "GET" })).json()) as {
      number: string;
    }[];
    expect(reports.filter((r) => r.number === number)).toEqual([]);
  });

  test("the admin API: a NUL in a gateway's name, its config or a redaction is a 422 naming the field", async ({
    numbox,
  }) => {
    const id = `nul-${randomBytes(3).toString("hex")}`;
    for (const [body, field] of [
      [{ id, kind: "generic", name: "Modem\u0000one" }, "name"],
      [{ id, kind: "generic", config: { allowIps: ["10.0.0.1", "10.0.0.2\u0000"] } }, "config.allowIps.1"],
      [{ id, kind: "generic", config: { "device\u0000": "x" } }, "config"],
    ] as const) {
      const reply = await numbox.admin("/gateways", { body });
      expect(reply.status, field).toBe(422);
      expect(await reply.json(), field).toMatchObject({
        error: "invalid_fields",
        detail: expect.stringMatching(new RegExp(`^${field}: .*NUL`)),
      });
    }
    const gateways = (await (await numbox.admin("/gateways", { method: "GET" })).json()) as { id: string }[];
    expect(gateways.map((g) => g.id)).not.toContain(id);

    const redaction = await numbox.admin("/redactions", { body: { pattern: "code\u0000", replacement: "x" } });
    expect(redaction.status).toBe(422);
    expect(await redaction.json()).toMatchObject({
      error: "invalid_fields",
      detail: expect.stringMatching(/^pattern: .*NUL/),
    });
  });
});
