import type Redis from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { AppError } from "@/lib/errors";
import { metrics } from "@/lib/observability/metrics";
import { processWide } from "@/lib/process-wide";
import { sharedRedis } from "./redis-store";

/** A number of requests allowed per address in a window of `seconds`; `name` keeps budgets apart in the store. */
export type Budget = { name: string; points: number; seconds: number };

export type Verdict = { allowed: true } | { allowed: false; retryAfter: number };

/**
 * A limiter for one budget: in this process's memory, or — given a Redis connection — in Redis, so that every
 * instance counts together. If Redis is unreachable or slow, the same budget is counted in memory instead (the
 * library's insurance limiter): a visitor is limited per instance for a while, and never gets an error.
 */
export function createLimiter(budget: Budget, redis?: Redis): RateLimiterAbstract {
  const options = { keyPrefix: `numbox:${budget.name}`, points: budget.points, duration: budget.seconds };
  if (!redis) return new RateLimiterMemory(options);
  return new RateLimiterRedis({
    ...options,
    storeClient: redis,
    // Do not wait for a reconnect: count this request in memory now.
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory(options),
  });
}

/** Counts one request against `key`'s budget. */
export async function spend(limiter: RateLimiterAbstract, key: string): Promise<Verdict> {
  try {
    await limiter.consume(key);
    return { allowed: true };
  } catch (rejection) {
    if (isRefusal(rejection)) return refused(limiter, retryAfter(rejection));
    throw rejection;
  }
}

/**
 * Every "consume or 429" of the site: spends one request of `key`'s budget, or throws 429 rate_limited with
 * Retry-After and `detail(seconds)` as the sentence that says which limit and when to retry.
 */
export async function spendOrRefuse(
  limiter: RateLimiterAbstract,
  key: string,
  detail: (retryAfter: number) => string,
): Promise<void> {
  const verdict = await spend(limiter, key);
  if (!verdict.allowed) throw overBudget(verdict.retryAfter, detail(verdict.retryAfter));
}

/** The 429 of a spent budget. */
export function overBudget(retryAfter: number, detail: string): AppError {
  return new AppError("rate_limited", detail, { "Retry-After": String(retryAfter) });
}

/**
 * The limiter's "over budget" answer. Not `instanceof`: limiters are shared on globalThis by bundles that
 * each load their own copy of the library (proxy.ts, the routes, lib/server/respond.ts), so a refusal may be
 * another copy's RateLimiterRes (recognised by its fields: bundling may rename classes).
 */
function isRefusal(rejection: unknown): rejection is RateLimiterRes {
  const res = rejection as Partial<RateLimiterRes> | null;
  return (
    typeof res === "object" &&
    res !== null &&
    typeof res.msBeforeNext === "number" &&
    typeof res.remainingPoints === "number"
  );
}

/** Whether `key` has used its whole budget already (without spending any), and for how long it stays so. */
export async function exhausted(limiter: RateLimiterAbstract, key: string): Promise<Verdict> {
  const state = await limiter.get(key);
  if (!state || state.consumedPoints < limiter.points) return { allowed: true };
  return refused(limiter, retryAfter(state));
}

/** A refusal, counted in the metrics under its budget's name. */
function refused(limiter: RateLimiterAbstract, retryAfter: number): Verdict {
  metrics().rateLimited.inc({ door: limiter.keyPrefix.replace(/^numbox:/, "") });
  return { allowed: false, retryAfter };
}

function retryAfter(state: RateLimiterRes): number {
  return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
}

/**
 * The process-wide limiter for a budget, in Redis when `redisUrl` is set: the proxy and the route bundles each
 * have their own copy of this module, and a budget must be counted once.
 */
export function limiterFor(budget: Budget, redisUrl: string | undefined): RateLimiterAbstract {
  const limiters = processWide("limiters", () => new Map<string, RateLimiterAbstract>());
  const id = `${budget.name}:${budget.points}/${budget.seconds}:${redisUrl ?? "memory"}`;
  let limiter = limiters.get(id);
  if (!limiter) {
    limiter = createLimiter(budget, redisUrl ? sharedRedis(redisUrl) : undefined);
    limiters.set(id, limiter);
  }
  return limiter;
}
