import { randomBytes } from "node:crypto";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { createLimiter, exhausted, spend, spendOrRefuse } from "./budget";
import { CONNECT_TIMEOUT_MS, connect, whenReady } from "./redis-store";

// The real Redis on this machine (or TEST_REDIS_URL): the shared store is tested against the real thing.
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const unique = (name: string) => `test-${name}-${randomBytes(4).toString("hex")}`;

async function spendTimes(limiter: ReturnType<typeof createLimiter>, key: string, times: number) {
  const verdicts = [];
  for (let i = 0; i < times; i++) verdicts.push(await spend(limiter, key));
  return verdicts.map((v) => v.allowed);
}

describe("a budget in memory", () => {
  it("allows its points, then refuses with a Retry-After within the window", async () => {
    const limiter = createLimiter({ name: unique("mem"), points: 3, seconds: 60 });
    expect(await spendTimes(limiter, "198.51.100.7", 3)).toEqual([true, true, true]);
    const refused = await spend(limiter, "198.51.100.7");
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) {
      expect(refused.retryAfter).toBeGreaterThanOrEqual(1);
      expect(refused.retryAfter).toBeLessThanOrEqual(60);
    }
  });

  it("refuses past the budget with 429 rate_limited, a Retry-After and the caller's sentence", async () => {
    const limiter = createLimiter({ name: unique("mem"), points: 2, seconds: 60 });
    const detail = (seconds: number) => `two a minute; retry in ${seconds} s`;
    await spendOrRefuse(limiter, "gw", detail);
    await spendOrRefuse(limiter, "gw", detail);
    const refusal = await spendOrRefuse(limiter, "gw", detail).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AppError);
    const { status, code, headers, detail: sentence } = refusal as AppError;
    expect([status, code]).toEqual([429, "rate_limited"]);
    expect(sentence).toBe(`two a minute; retry in ${headers["Retry-After"]} s`);
    expect(Number(headers["Retry-After"])).toBeGreaterThanOrEqual(1);
  });

  it("counts each address on its own", async () => {
    const limiter = createLimiter({ name: unique("mem"), points: 1, seconds: 60 });
    expect((await spend(limiter, "198.51.100.7")).allowed).toBe(true);
    expect((await spend(limiter, "198.51.100.7")).allowed).toBe(false);
    expect((await spend(limiter, "198.51.100.8")).allowed).toBe(true);
  });

  it("says when an address has used its whole budget, without spending", async () => {
    const limiter = createLimiter({ name: unique("mem"), points: 2, seconds: 3600 });
    expect((await exhausted(limiter, "k")).allowed).toBe(true);
    await spend(limiter, "k");
    expect((await exhausted(limiter, "k")).allowed).toBe(true);
    await spend(limiter, "k");
    const verdict = await exhausted(limiter, "k");
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) expect(verdict.retryAfter).toBeGreaterThan(3500);
  });
});

describe("a budget in Redis", () => {
  const clients: Redis[] = [];
  const quiet = { log: () => {}, error: () => {} };
  const client = () => {
    const c = connect(REDIS_URL, quiet);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    // Fail, never skip: a missing Redis must show up as a red test.
    const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000 });
    try {
      await probe.connect();
      expect(await probe.ping()).toBe("PONG");
    } catch (error) {
      throw new Error(
        `Redis is not reachable at ${REDIS_URL} (${(error as Error).message}): start it, or set TEST_REDIS_URL`,
      );
    } finally {
      probe.disconnect();
    }
  });
  afterAll(() => clients.forEach((c) => c.disconnect()));

  const ready = async (c: Redis) => {
    expect(await whenReady(c, CONNECT_TIMEOUT_MS)).toBe(true);
    return c;
  };

  it("is shared by every instance: two connections, as two servers would have, draw on one count", async () => {
    const budget = { name: unique("redis"), points: 4, seconds: 60 };
    const instanceA = createLimiter(budget, await ready(client()));
    const instanceB = createLimiter(budget, await ready(client()));
    expect(await spendTimes(instanceA, "203.0.113.9", 2)).toEqual([true, true]);
    expect(await spendTimes(instanceB, "203.0.113.9", 3)).toEqual([true, true, false]);
    const refused = await spend(instanceA, "203.0.113.9");
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) expect(refused.retryAfter).toBeLessThanOrEqual(60);
    // The count really is in Redis, under the budget's prefix, with the window as its expiry.
    const direct = await ready(client());
    expect(Number(await direct.get(`numbox:${budget.name}:203.0.113.9`))).toBe(6);
    expect(await direct.ttl(`numbox:${budget.name}:203.0.113.9`)).toBeGreaterThan(0);
    expect((await exhausted(instanceB, "203.0.113.9")).allowed).toBe(false);
    expect((await exhausted(instanceB, "203.0.113.10")).allowed).toBe(true);
  });

  it("counts in memory until the connection is ready, which is why a starting server waits for it", async () => {
    const budget = { name: unique("opening"), points: 4, seconds: 60 };
    const direct = await ready(client());
    const opening = client();
    const limiter = createLimiter(budget, opening);
    // Still connecting: the count goes to this instance's memory, and another instance would not see it.
    expect((await spend(limiter, "203.0.113.11")).allowed).toBe(true);
    expect(await direct.get(`numbox:${budget.name}:203.0.113.11`)).toBeNull();
    // Once ready, counts are shared.
    expect(await whenReady(opening, CONNECT_TIMEOUT_MS)).toBe(true);
    expect((await spend(limiter, "203.0.113.12")).allowed).toBe(true);
    expect(Number(await direct.get(`numbox:${budget.name}:203.0.113.12`))).toBe(1);
    // A Redis that is not there is waited for no longer than asked.
    const down = connect("redis://127.0.0.1:1", quiet);
    clients.push(down);
    expect(await whenReady(down, 50)).toBe(false);
  });

  it("falls back to memory when Redis is unreachable: the limit holds and nothing throws", async () => {
    // Nothing listens on port 1.
    const down = connect("redis://127.0.0.1:1", quiet);
    clients.push(down);
    const limiter = createLimiter({ name: unique("down"), points: 2, seconds: 60 }, down);
    const started = Date.now();
    expect(await spendTimes(limiter, "198.51.100.7", 3)).toEqual([true, true, false]);
    expect((await exhausted(limiter, "198.51.100.7")).allowed).toBe(false);
    // No waiting for a reconnect: a visitor is answered at once.
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
