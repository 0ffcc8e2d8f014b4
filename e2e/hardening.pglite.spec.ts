import { randomInt } from "node:crypto";
import { sendFrom, statuses } from "./from-address";
import { startServer, type TestServer } from "./servers";
import { test, expect } from "./fixtures";

/**
 * Security regressions that need a server of its own with small budgets: each test is one attack, replayed over
 * real sockets. Clients are real socket peers on distinct loopback addresses (127.0.0.0/8 is all ours), so "an
 * address" is what the server sees, not a header we claim. The database plays no part here: PGlite only.
 */

const send = sendFrom;

const ADMIN_TOKEN = "hardening-test-admin-token";
const ADMIN_FAILURES_PER_HOUR = 3;
const API_RATE_PER_MINUTE = 4;
// The operator's one reverse proxy. Every other loopback address is a client that reaches Node directly.
const PROXY = "127.0.0.2";

const randomIpv4 = () => `${randomInt(1, 224)}.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

test.describe("hardening", () => {
  test.describe.configure({ mode: "serial" });
  let server: TestServer;

  test.beforeAll(async () => {
    // Starting a server takes a few seconds, longer on a machine busy with the rest of the suite.
    test.setTimeout(120_000);
    server = await startServer("hardening", {
      PGLITE_DIR: "memory://",
      ADMIN_TOKEN,
      ADMIN_FAILURES_PER_HOUR: String(ADMIN_FAILURES_PER_HOUR),
      API_RATE_PER_MINUTE: String(API_RATE_PER_MINUTE),
      TRUST_PROXY: "1",
      TRUSTED_PROXIES: `${PROXY}/32`,
    });
  });
  test.afterAll(async () => server?.stop());

  test("a web page cannot lock the operator out: requests without a token and preflights are not guesses", async () => {
    // The operator's browser, at one address, visits a page on another origin that fires at the admin API all
    // it can without the token: simple requests (no Authorization) and CORS preflights.
    const operator = "127.0.0.21";
    const origin = { Origin: "https://elsewhere.example" };
    const bare = await statuses(4 * ADMIN_FAILURES_PER_HOUR, (i) =>
      send(server, operator, i % 2 ? "GET" : "POST", i % 2 ? "/api/admin/quarantine" : "/api/admin/purge", origin),
    );
    expect(bare).toEqual(Array(4 * ADMIN_FAILURES_PER_HOUR).fill(401));
    for (let i = 0; i < 4 * ADMIN_FAILURES_PER_HOUR; i++) {
      const preflight = await send(server, operator, "OPTIONS", "/api/admin/gateways", {
        ...origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
      });
      expect(preflight.status).toBeLessThan(300);
      // Never granted: the page cannot go on to send a token of its own.
      expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();
    }

    // The operator's own call still works.
    const own = await send(server, operator, "GET", "/api/admin/quarantine", {
      Authorization: `Bearer ${ADMIN_TOKEN}`,
    });
    expect(own.status, own.body).toBe(200);
  });

  test("wrong tokens still lock their address out, even for the right token", async () => {
    const guesser = "127.0.0.22";
    const guess = (i: number) =>
      send(server, guesser, "GET", "/api/admin/quarantine", { Authorization: `Bearer guess-${i}` });
    expect(await statuses(ADMIN_FAILURES_PER_HOUR, guess)).toEqual(Array(ADMIN_FAILURES_PER_HOUR).fill(401));
    const blocked = await guess(ADMIN_FAILURES_PER_HOUR);
    expect(blocked.status).toBe(429);
    expect(JSON.parse(blocked.body)).toMatchObject({
      error: "rate_limited",
      detail: expect.stringContaining("wrong admin tokens"),
    });
    const right = await send(server, guesser, "GET", "/api/admin/quarantine", {
      Authorization: `Bearer ${ADMIN_TOKEN}`,
    });
    expect(right.status).toBe(429);
  });

  test("X-Forwarded-For from a client that is not one of the operator's proxies is ignored for its limits", async () => {
    // TRUST_PROXY=1, but this peer is not in TRUSTED_PROXIES: every forged address is the same client.
    const direct = "127.0.0.31";
    const codes = await statuses(API_RATE_PER_MINUTE + 2, () =>
      send(server, direct, "GET", "/api/v1/countries", { "X-Forwarded-For": randomIpv4() }),
    );
    expect(codes).toEqual([...Array(API_RATE_PER_MINUTE).fill(200), 429, 429]);
    // Nor does it lock anyone else out by claiming their address.
    const victim = randomIpv4();
    await statuses(API_RATE_PER_MINUTE, () =>
      send(server, direct, "GET", "/api/v1/countries", { "X-Forwarded-For": victim }),
    );
    expect((await send(server, PROXY, "GET", "/api/v1/countries", { "X-Forwarded-For": victim })).status).toBe(200);
  });

  test("behind the operator's proxy, each forwarded client has its own budget; what it wrote itself is not believed", async () => {
    const alice = randomIpv4();
    const bob = randomIpv4();
    const via = (forwardedFor: string) => () =>
      send(server, PROXY, "GET", "/api/v1/countries", { "X-Forwarded-For": forwardedFor });
    expect(await statuses(API_RATE_PER_MINUTE + 1, via(alice))).toEqual([...Array(API_RATE_PER_MINUTE).fill(200), 429]);
    expect(await statuses(1, via(bob))).toEqual([200]);
    // Alice writes another address into the header; our proxy appends the one it saw.
    expect(await statuses(1, via(`${randomIpv4()}, ${alice}`))).toEqual([429]);
  });
});
