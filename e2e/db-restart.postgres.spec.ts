import fs from "node:fs";
import { randomBytes } from "node:crypto";
import { startPrivatePostgres, type PrivatePostgres } from "./private-postgres";
import { startServer, type TestServer } from "./servers";
import { test, expect } from "./fixtures";

// What a modem host and a reader may expect while the operator restarts Postgres (or it crashes) under a running
// Numbox: no request hangs, every failure is a 503 with Retry-After (retry later, nothing was stored), the server
// serves again within moments of Postgres being back, a sender that retries stores each message exactly once,
// and live updates from other instances resume (LISTEN reconnects).

// The user-visible bound on any one request. Generous: well above the database timeouts the server sets (5 s to
// connect, 10 s a statement, 15 s any query), below the 30–45 s hangs of a client stuck on a dead connection.
const LONGEST_REQUEST_MS = 25_000;
const ADMIN_TOKEN = randomBytes(8).toString("hex");
const OPEN_LIMITS = {
  API_RATE_PER_MINUTE: "1000000",
  INGEST_RATE_PER_MINUTE: "1000000",
  ADMIN_RATE_PER_MINUTE: "1000000",
};

type Outcome = { kind: "ingest" | "read"; startedAt: number; ms: number; status: number; retryAfter: string | null };

test("a Postgres restart and a crash under load: no request hangs, 503s with Retry-After, then 200s, nothing lost", async () => {
  test.setTimeout(300_000);
  let postgres: PrivatePostgres | undefined;
  let server: TestServer | undefined;
  let other: TestServer | undefined;
  let load: Load | undefined;
  try {
    postgres = await startPrivatePostgres();
    const env = { ...OPEN_LIMITS, ADMIN_TOKEN, DATABASE_URL: postgres.url };
    server = await startServer("db-restart", env);
    const { key, digits } = await gatewayWithNumber(server.url);

    load = startLoad(server.url, key, digits);
    await until("messages are acknowledged under load", () => load!.acknowledged.size >= 20);

    // Twice each way: a connection left stuck by one outage shows up as a hang in the next.
    for (let round = 0; round < 2; round++) {
      await postgres.restart();
      const restartedAt = Date.now();
      await until("the server serves reads and ingest again after a restart", () => load!.servedSince(restartedAt));

      await postgres.crash();
      const crashedAt = Date.now();
      await until("the server answers 503 while Postgres is down", () =>
        load!.outcomes.some((o) => o.startedAt >= crashedAt && o.status === 503),
      );
      // A load balancer takes the instance out of rotation while Postgres is down, and back once it is up.
      await untilReady(server.url, 503);
      await postgres.start();
      await untilReady(server.url, 200);
      const startedAt = Date.now();
      await until("the server serves reads and ingest again after a crash", () => load!.servedSince(startedAt));
    }
    await load.stop();

    const slowest = Math.max(...load.outcomes.map((o) => o.ms));
    expect(slowest, `no request took longer than ${LONGEST_REQUEST_MS} ms`).toBeLessThan(LONGEST_REQUEST_MS);
    const failures = load.outcomes.filter((o) => o.status !== 200);
    expect(failures.length, "the outages were seen").toBeGreaterThan(0);
    expect(new Set(failures.map((o) => o.status)), "every failure is a 503").toEqual(new Set([503]));
    expect(
      failures.filter((o) => o.retryAfter === null),
      "every 503 says when to retry",
    ).toEqual([]);

    // Every acknowledged message is stored, once, under the id it was acknowledged with; nothing else is.
    const stored = await allMessages(server.url, digits);
    const storedTexts = stored.map((m) => m.text).sort();
    expect(storedTexts).toEqual([...load.acknowledged.keys()].sort());
    for (const m of stored) expect(m.id).toBe(load.acknowledged.get(m.text));

    // Live updates across instances resume: a message stored through another instance reaches a stream here.
    other = await startServer("db-restart-other", env);
    await expectLiveAcrossInstances(server.url, other.url, key, digits);

    const log = fs.readFileSync(server.log, "utf8");
    expect(log).not.toMatch(/TypeError|uncaught|unhandled/i);
  } finally {
    await load?.abandon();
    await Promise.all([server?.stop(), other?.stop()]);
    await postgres?.destroy();
  }
});

async function gatewayWithNumber(url: string) {
  const admin = (path: string, body: unknown) =>
    fetch(`${url}/api/admin${path}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  const created = await admin("/gateways", { id: "modem-1", kind: "generic" });
  expect(created.status).toBe(201);
  const { apiKey } = (await created.json()) as { apiKey: string };
  const digits = "998940373339";
  expect((await admin("/numbers", { number: `+${digits}`, gateway: "modem-1" })).status).toBe(201);
  return { key: apiKey, digits };
}

type Load = {
  outcomes: Outcome[];
  /** text → the id it was acknowledged with */
  acknowledged: Map<string, number>;
  /** True once an ingest and a read that both started at or after `since` were answered 200. */
  servedSince(since: number): boolean;
  /** Stops sending, once every message in flight is acknowledged. */
  stop(): Promise<void>;
  abandon(): Promise<void>;
};

// Far above the bound the test asserts: it only keeps a hung request from hanging the test itself.
const guard = () => AbortSignal.timeout(120_000);

/** Three senders that retry each message until it is acknowledged (as modem hosts do), and two readers. */
function startLoad(url: string, key: string, digits: string): Load {
  const outcomes: Outcome[] = [];
  const acknowledged = new Map<string, number>();
  let running = true;
  let abandoned = false; // the test failed: stop at once, acknowledged or not

  const timed = async (kind: Outcome["kind"], request: () => Promise<Response>) => {
    const startedAt = Date.now();
    let status = 0; // no answer at all (connection reset, or the request hung past its guard)
    let body = "";
    let retryAfter: string | null = null;
    try {
      const response = await request();
      body = await response.text();
      status = response.status;
      retryAfter = response.headers.get("retry-after");
    } catch {
      // recorded as status 0
    }
    outcomes.push({ kind, startedAt, ms: Date.now() - startedAt, status, retryAfter });
    // Pace retries a little while the database is away, so the log stays readable.
    if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    return { status, body };
  };
  const sender = async (name: string) => {
    for (let i = 0; running; i++) {
      const text = `message ${name}-${i}`;
      // The same idempotency key on every retry: the server stores it once however often it is sent.
      while (!abandoned) {
        const { status, body } = await timed("ingest", () =>
          fetch(`${url}/api/inbound/modem-1`, {
            method: "POST",
            headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
            body: JSON.stringify({ to: `+${digits}`, from: "Svc", text, id: `${name}-${i}` }),
            signal: guard(),
          }),
        );
        if (status === 200) {
          acknowledged.set(text, (JSON.parse(body) as { ids: number[] }).ids[0]!);
          break;
        }
      }
    }
  };
  const reader = async () => {
    while (running) {
      await timed("read", () => fetch(`${url}/api/v1/numbers/${digits}/messages?limit=20`, { signal: guard() }));
    }
  };
  const all = Promise.all([sender("a"), sender("b"), sender("c"), reader(), reader()]);
  return {
    outcomes,
    acknowledged,
    servedSince: (since) =>
      ["ingest", "read"].every((kind) =>
        outcomes.some((o) => o.kind === kind && o.startedAt >= since && o.status === 200),
      ),
    async stop() {
      running = false;
      await all;
    },
    async abandon() {
      running = false;
      abandoned = true;
      await all;
    },
  };
}

async function until(what: string, condition: () => boolean, timeoutMs = 90_000) {
  if (!(await poll(condition, timeoutMs))) throw new Error(`timed out waiting until ${what}`);
}

/** Probes /readyz every 100 ms until it answers `status`. */
async function untilReady(url: string, status: number, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while ((await fetch(`${url}/readyz`)).status !== status) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until /readyz answers ${status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Checks the condition every 100 ms; whether it held within the time. */
async function poll(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

async function allMessages(url: string, digits: string) {
  const all: { id: number; text: string }[] = [];
  let before: number | null = null;
  do {
    const response = await fetch(
      `${url}/api/v1/numbers/${digits}/messages?limit=100${before ? `&before=${before}` : ""}`,
    );
    expect(response.status).toBe(200);
    const page = (await response.json()) as { messages: { id: number; text: string }[]; next: number | null };
    all.push(...page.messages);
    before = page.next;
  } while (before !== null);
  return all;
}

/**
 * Opens a live stream (no replay: only what arrives from now on) on `here` and posts through `there` until a
 * message posted there arrives here. Posts are repeated because the LISTEN connection may still be on its way
 * back when the first one is sent; a notification sent before it is back is not queued for it.
 */
async function expectLiveAcrossInstances(here: string, there: string, key: string, digits: string) {
  const controller = new AbortController();
  const response = await fetch(`${here}/api/v1/numbers/${digits}/stream`, { signal: controller.signal });
  expect(response.status).toBe(200);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let received = "";
  const reading = (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) return;
      received += value;
    }
  })();
  try {
    await until("the stream is connected", () => received.includes(": connected"), 30_000);
    const deadline = Date.now() + 60_000;
    for (let attempt = 0; ; attempt++) {
      const text = `live after restart ${attempt}`;
      const posted = await fetch(`${there}/api/inbound/modem-1`, {
        method: "POST",
        headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
        body: JSON.stringify({ to: `+${digits}`, from: "Svc", text }),
      });
      expect(posted.status).toBe(200);
      if (await poll(() => received.includes("live after restart"), 3_000)) break;
      if (Date.now() > deadline) throw new Error("no message posted through another instance reached the stream");
    }
  } finally {
    controller.abort();
    await reading;
  }
}
