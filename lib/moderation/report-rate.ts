import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "@/lib/errors";
import { addressKey } from "@/lib/limits/address-key";

const limiters = new Map<number, RateLimiterMemory>();

/**
 * Counts one report against the visitor's hourly budget, or throws 429 rate_limited with Retry-After. Keyed by
 * the unforgeable client address (lib/limits/client-address.ts), an IPv6 client by its /64 (addressKey). In
 * memory: reports are rare, and a per-instance budget is enough to stop a flood.
 */
export async function consumeReportBudget(address: string | null, perHour: number): Promise<void> {
  let limiter = limiters.get(perHour);
  if (!limiter) limiters.set(perHour, (limiter = new RateLimiterMemory({ points: perHour, duration: 3600 })));
  try {
    await limiter.consume(addressKey(address));
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    const minutes = Math.ceil(seconds / 60);
    throw new AppError(
      "rate_limited",
      `Too many reports from your connection; try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`,
      { "Retry-After": String(seconds) },
    );
  }
}
