import net from "node:net";
import { test, expect } from "./fixtures";

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
  const lines = [requestLine, `Host: ${hostname}:${port}`, "Connection: close", ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
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
      const parsed = new Map(fields.map((f) => [f.slice(0, f.indexOf(":")).toLowerCase(), f.slice(f.indexOf(":") + 1).trim()]));
      const length = Number(parsed.get("content-length") ?? NaN);
      const rest = text.slice(end + 4);
      resolve({ status: Number(status!.split(" ")[1]), headers: parsed, body: Number.isNaN(length) ? rest : rest.slice(0, length) });
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
    for (const path of ["/", `/numbers/${digits}`, "/api/v1/countries", `/api/inbound/${gateway}`, "/api/admin/gateways", "/icon.svg"]) {
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

  test("an absolute URL as the target is served by its path, never redirected to the host it names", async ({ numbox }) => {
    const countries = await raw(numbox.url, "GET http://elsewhere.example/api/v1/countries HTTP/1.1");
    expect(countries.status).toBe(200);
    expect(countries.headers.get("location")).toBeUndefined();
    expect(countries.headers.get("content-type")).toMatch(/^application\/json/);
    const home = await raw(numbox.url, "GET https://elsewhere.example HTTP/1.1");
    expect(home.status).toBe(200);
    expect(home.headers.get("location")).toBeUndefined();
    expectRefusal(await raw(numbox.url, "GET http://elsewhere.example/numbers/%zz HTTP/1.1"), 400, "malformed_path", "broken escape");
    expectRefusal(await raw(numbox.url, "GET ftp://elsewhere.example/ HTTP/1.1"), 400, "malformed_target", "ftp://");
  });

  test("a request line Node cannot parse is a JSON 400", async ({ numbox }) => {
    for (const line of ["TRACK / HTTP/1.1", "FOO / HTTP/1.1", "GET api/v1/countries HTTP/1.1", "GET /a b HTTP/1.1"]) {
      expectRefusal(await raw(numbox.url, line), 400, "malformed_request", line);
    }
  });

  test("a request that asks to upgrade (curl --http2 on http) is answered as the plain request it also is", async ({ numbox }) => {
    const h2c = { Connection: "Upgrade, HTTP2-Settings", Upgrade: "h2c", "HTTP2-Settings": "AAMAAABkAAQCAAAAAAIAAAAA" };
    const websocket = { Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13" };
    for (const headers of [h2c, websocket, h2c]) {
      const reply = await raw(numbox.url, "GET /api/v1/countries HTTP/1.1", headers);
      expect(reply.status, headers.Upgrade).toBe(200);
      expect(reply.headers.get("content-type")).toMatch(/^application\/json/);
    }
    expectRefusal(await raw(numbox.url, "GET /numbers/%zz HTTP/1.1", h2c), 400, "malformed_path", "h2c with a broken escape");
    // And the server goes on answering.
    expect((await numbox.get("/api/v1/countries")).status).toBe(200);
  });
});
