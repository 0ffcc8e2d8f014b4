import http from "node:http";
import { randomInt } from "node:crypto";
import Redis from "ioredis";
import { sendFrom, statuses } from "./from-address";
import { scrape, valueOf } from "./prometheus";
import { startServer, type TestServer } from "./servers";
import { test, expect } from "./fixtures";

/**
 * Per-address limits against servers of our own, with tiny budgets. Every client here is a real socket peer:
 * requests are sent from different loopback addresses (127.0.0.0/8 is all ours), so "one address" and "another
 * address" are what the server really sees, not headers we claim. Runs in one project only (servers of its own).
 */

/** A GET from a chosen local address, read to the end. */
const get = (server: TestServer, path: string, from: string, headers: Record<string, string> = {}) =>
  sendFrom(server, from, "GET", path, headers);

type Open = { status: number; headers: http.IncomingHttpHeaders; close(): void };

/** Opens a long-lived GET (a stream or a wait) from a chosen address; close() hangs up like a closed tab. */
function open(server: TestServer, path: string, from: string): Promise<Open> {
  return new Promise((resolve, reject) => {
    const url = new URL(server.url);
    const req = http.request({ host: url.hostname, port: url.port, path, localAddress: from, agent: false }, (res) => {
      res.resume();
      resolve({ status: res.statusCode!, headers: res.headers, close: () => req.destroy() });
    });
    req.on("error", (error) => {
      if (!req.destroyed) reject(error);
    });
    req.end();
  });
}

/**
 * Tries until `done`, pausing 0.3 s, 0.6 s, … (about 9 s in all, for a server on a busy machine): a few requests
 * only, so that the address's API budget lasts.
 */
async function retried<T>(attempt: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await attempt();
  for (let pause = 300; !done(value) && pause <= 4800; pause *= 2) {
    await new Promise((resolve) => setTimeout(resolve, pause));
    value = await attempt();
  }
  return value;
}

const randomIpv4 = () => `${randomInt(1, 224)}.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
const ADMIN_TOKEN = "limits-test-admin-token";

test.describe("per-address limits, no proxy trusted", () => {
  test.describe.configure({ mode: "serial" });
  let server: TestServer;
  let digits = "";

  test.beforeAll(async () => {
    // Starting a server takes a few seconds, longer on a machine busy with the rest of the suite.
    test.setTimeout(120_000);
    server = await startServer("limits", {
      PGLITE_DIR: "memory://",
      ADMIN_TOKEN,
      TRUST_PROXY: "0",
      PAGE_RATE_PER_MINUTE: "3",
      API_RATE_PER_MINUTE: "10",
      STREAMS_PER_ADDRESS: "2",
      WAITS_PER_ADDRESS: "1",
      ADMIN_FAILURES_PER_HOUR: "3",
    });
    const admin = (path: string, body: unknown) =>
      fetch(`${server.url}/api/admin${path}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await admin("/gateways", { id: "modem-1", kind: "generic" })).status).toBe(201);
    expect((await admin("/numbers", { number: "+998940373339", gateway: "modem-1" })).status).toBe(201);
    digits = "998940373339";
  });
  test.afterAll(async () => server?.stop());

  test("a client looping on the API is stopped at its budget with 429, Retry-After and JSON; others are not", async () => {
    const codes = await statuses(12, () => get(server, "/api/v1/countries", "127.0.0.2"));
    expect(codes).toEqual([...Array(10).fill(200), 429, 429]);
    const limited = await get(server, `/api/v1/numbers/${digits}/messages`, "127.0.0.2");
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers["content-type"]).toMatch(/^application\/json/);
    expect(JSON.parse(limited.body)).toMatchObject({
      error: "rate_limited",
      detail: expect.stringContaining("10 API calls a minute"),
    });
    // A reader at another address is unaffected.
    expect((await get(server, "/api/v1/countries", "127.0.0.3")).status).toBe(200);
    // The operator sees the refusals in the metrics, by budget.
    expect(valueOf(await scrape(server.url), "numbox_rate_limited_total", { door: "api" })).toBeGreaterThanOrEqual(3);
  });

  test("a load balancer's health and readiness probes are never limited", async () => {
    // Far past both the page (3) and the API (10) budgets, from one address.
    const codes: number[] = [];
    for (let i = 0; i < 20; i++) {
      codes.push(
        (await get(server, "/healthz", "127.0.0.9")).status,
        (await get(server, "/readyz", "127.0.0.9")).status,
      );
    }
    expect(codes).toEqual(Array(40).fill(200));
  });

  test("MCP tool calls spend the same per-address budget as the API", async () => {
    const listCountries = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "list_countries", arguments: {} },
    });
    const mcp = (from: string) =>
      sendFrom(
        server,
        from,
        "POST",
        "/api/mcp",
        { "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
        listCountries,
      );
    // Five API calls, then the MCP server has the other five of the minute's ten.
    expect(await statuses(5, () => get(server, "/api/v1/countries", "127.0.0.12"))).toEqual(Array(5).fill(200));
    expect(await statuses(6, () => mcp("127.0.0.12"))).toEqual([...Array(5).fill(200), 429]);
    const limited = await mcp("127.0.0.12");
    expect(JSON.parse(limited.body)).toMatchObject({ error: "rate_limited" });
    // And the other way round: ten tool calls leave no API call.
    expect(await statuses(10, () => mcp("127.0.0.13"))).toEqual(Array(10).fill(200));
    expect((await get(server, "/api/v1/countries", "127.0.0.13")).status).toBe(429);
  });

  test("forged forwarding headers do not escape the budget when no proxy is trusted", async () => {
    const codes = await statuses(12, () =>
      get(server, "/api/v1/countries", "127.0.0.4", {
        "X-Forwarded-For": randomIpv4(),
        "X-Real-IP": randomIpv4(),
        Forwarded: `for=${randomIpv4()}`,
        // Our own peer header, too: server.mjs overwrites what a client sends.
        "X-Numbox-Peer": randomIpv4(),
      }),
    );
    expect(codes).toEqual([...Array(10).fill(200), 429, 429]);
  });

  test("a page view over the budget gets a friendly HTML page with 429 and Retry-After", async () => {
    const codes = await statuses(4, () => get(server, "/", "127.0.0.5"));
    expect(codes).toEqual([200, 200, 200, 429]);
    const limited = await get(server, `/numbers/${digits}`, "127.0.0.5");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(limited.headers["content-type"]).toMatch(/^text\/html/);
    expect(limited.body).toContain("<h1>Slow down a little</h1>");
    // The proxy's security headers are on the limit page too.
    expect(limited.headers["content-security-policy"]).toBeTruthy();
    // Static files never count: the limited address still gets them.
    expect((await get(server, "/gateway/numbox-gammu.sh", "127.0.0.5")).status).toBe(200);
  });

  test("a browser looping on pages is shown the limit page", async ({ page }) => {
    // The browser connects from 127.0.0.1, whose page budget nothing else here uses.
    let last = 0;
    for (let i = 0; i < 6 && last !== 429; i++) last = (await page.goto(`${server.url}/docs/gateways`))!.status();
    expect(last).toBe(429);
    await expect(page.getByRole("heading", { name: "Slow down a little" })).toBeVisible();
    await expect(page.getByText(/Please wait \d+ seconds/)).toBeVisible();
  });

  test("live streams are capped per address: the extra one gets 429, closing one frees its slot", async () => {
    const path = `/api/v1/numbers/${digits}/stream`;
    const first = await open(server, path, "127.0.0.6");
    const second = await open(server, path, "127.0.0.6");
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.headers["content-type"]).toMatch(/^text\/event-stream/);

    const third = await get(server, path, "127.0.0.6");
    expect(third.status).toBe(429);
    expect(Number(third.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(third.body)).toMatchObject({
      error: "rate_limited",
      detail: expect.stringContaining("2 live streams"),
    });
    // Another address has its own slots.
    const elsewhere = await open(server, path, "127.0.0.7");
    expect(elsewhere.status).toBe(200);

    first.close();
    // The slot frees once the server sees the hang-up.
    const reopened = await retried(
      async () => {
        const stream = await open(server, path, "127.0.0.6");
        if (stream.status !== 200) stream.close();
        return stream;
      },
      (stream) => stream.status === 200,
    );
    expect(reopened.status).toBe(200);
    for (const stream of [second, elsewhere, reopened]) stream.close();
  });

  test("wait calls are capped per address, and an abandoned wait frees its slot", async () => {
    const path = `/api/v1/numbers/${digits}/wait?timeout=30`;
    const shortWait = `/api/v1/numbers/${digits}/wait?timeout=1`;
    const url = new URL(server.url);
    // No message arrives: a wait holds the address's only slot until it is abandoned. Once the server has it, a
    // second wait is refused; until then that second one takes the slot for its 1 s, and the holder may be the
    // one refused meanwhile: then hold it again.
    const hold = () => {
      const request = http.request({
        host: url.hostname,
        port: url.port,
        path,
        localAddress: "127.0.0.8",
        agent: false,
      });
      let refused = false;
      const answered = new Promise<number | "hung up">((resolve) => {
        request.on("response", (res) => {
          refused = true;
          resolve(res.statusCode!);
        });
        request.on("error", () => resolve("hung up"));
      });
      request.end();
      return { request, answered, refused: () => refused };
    };
    let holder = hold();
    let second = await get(server, shortWait, "127.0.0.8");
    while (second.status !== 429) {
      if (holder.refused()) holder = hold();
      second = await get(server, shortWait, "127.0.0.8");
    }
    expect(second.status).toBe(429);
    expect(Number(second.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(second.body)).toMatchObject({
      error: "rate_limited",
      detail: expect.stringContaining("1 wait calls"),
    });

    holder.request.destroy();
    expect(await holder.answered).toBe("hung up");
    // The slot frees once the server sees the hang-up.
    const next = await retried(
      () => get(server, shortWait, "127.0.0.8"),
      (reply) => reply.status === 204,
    );
    expect(next.status).toBe(204);
  });

  test("wrong admin tokens are limited per address; then even the right token is refused there", async () => {
    const admin = (from: string, token: string) =>
      get(server, "/api/admin/quarantine", from, { Authorization: `Bearer ${token}` });
    expect(await statuses(3, (i) => admin("127.0.0.9", `guess-${i}`))).toEqual([401, 401, 401]);
    const blocked = await admin("127.0.0.9", "guess-4");
    expect(blocked.status).toBe(429);
    expect(JSON.parse(blocked.body)).toMatchObject({
      error: "rate_limited",
      detail: expect.stringContaining("wrong admin tokens"),
    });
    // The window is an hour: the wait it announces is long.
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(60);
    expect((await admin("127.0.0.9", ADMIN_TOKEN)).status).toBe(429);
    // The operator at another address is not locked out by someone guessing.
    expect((await admin("127.0.0.10", ADMIN_TOKEN)).status).toBe(200);
  });
});

test.describe("per-address limits behind a trusted proxy, counted in Redis by two instances", () => {
  test.describe.configure({ mode: "serial" });
  let one: TestServer;
  let two: TestServer;
  const env = {
    PGLITE_DIR: "memory://",
    TRUST_PROXY: "1",
    API_RATE_PER_MINUTE: "4",
    REDIS_URL: "redis://127.0.0.1:6379",
  };

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    // Waited for by the readiness probe, which is never limited: the first limited request is a test's own.
    [one, two] = await Promise.all([
      startServer("limits-redis-1", env, "/readyz"),
      startServer("limits-redis-2", env, "/readyz"),
    ]);
  });
  test.afterAll(async () => {
    await Promise.all([one?.stop(), two?.stop(), redis.quit()]);
  });
  const redis = new Redis(env.REDIS_URL, { lazyConnect: true });

  // Counts live in the shared Redis for a minute: each run uses client addresses of its own.
  const client = () => `198.18.${randomInt(256)}.${randomInt(1, 255)}`;
  const via = (server: TestServer, forwardedFor: string) => () =>
    get(server, "/api/v1/countries", "127.0.0.1", { "X-Forwarded-For": forwardedFor });

  test("the forwarded address is honoured: each client behind the proxy has its own budget", async () => {
    const alice = client();
    const bob = client();
    expect(await statuses(5, via(one, alice))).toEqual([200, 200, 200, 200, 429]);
    // Counted in Redis from a fresh instance's very first request, not in its memory while it connected.
    expect(await redis.get(`numbox:api:${alice}`)).toBe("5");
    expect(await statuses(1, via(one, bob))).toEqual([200]);
    // What the client wrote left of what our proxy appended is not believed.
    expect(await statuses(1, via(one, `${client()}, ${alice}`))).toEqual([429]);
  });

  test("an IPv6 client is one client across its /64", async () => {
    const prefix = `2001:db8:${randomInt(65536).toString(16)}:${randomInt(65536).toString(16)}`;
    const codes = await statuses(5, (i) => via(one, `${prefix}::${(i + 1).toString(16)}`)());
    expect(codes).toEqual([200, 200, 200, 200, 429]);
    const neighbour = `2001:db8:${randomInt(65536).toString(16)}:${randomInt(65536).toString(16)}::1`;
    expect(await statuses(1, via(one, neighbour))).toEqual([200]);
  });

  test("several instances share one budget through Redis", async () => {
    const carol = client();
    expect(await statuses(2, via(one, carol))).toEqual([200, 200]);
    expect(await statuses(2, via(two, carol))).toEqual([200, 200]);
    expect(await statuses(1, via(one, carol))).toEqual([429]);
    expect(await statuses(1, via(two, carol))).toEqual([429]);
  });
});

test.describe("the default limits", () => {
  test.describe.configure({ mode: "serial" });
  let server: TestServer;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    // No limit variables set: what an operator gets out of the box (demo numbers, so pages have links to prefetch).
    server = await startServer("limits-defaults", { PGLITE_DIR: "memory://", DEMO: "1" });
  });
  test.afterAll(async () => server?.stop());

  test("a scraper looping from one address is stopped, while a reader at another address is unaffected", async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const refused: string[] = [];
    page.on("response", (response) => {
      if (response.status() === 429) refused.push(response.url());
    });
    // The reader (a browser at 127.0.0.1): home, a country, a number's inbox, back home, another inbox.
    await page.goto(server.url);
    await page.locator('a[href^="/countries/"]').first().click();
    await page.locator('a[href^="/numbers/"]').first().click();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await page.goto(server.url);
    await page.locator('a[href^="/numbers/"]').first().click();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();

    // The scraper, at 127.0.0.2, with a fresh forged X-Forwarded-For on every call.
    const codes = await statuses(245, () =>
      get(server, "/api/v1/countries", "127.0.0.2", { "X-Forwarded-For": randomIpv4() }),
    );
    expect(codes.indexOf(429)).toBe(240);
    expect(codes.slice(240).every((c) => c === 429)).toBe(true);

    // The reader goes on reading.
    await page.reload();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(refused).toEqual([]);
  });
});
