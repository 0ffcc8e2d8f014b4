import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "@/lib/errors";

const limiters = new Map<number, RateLimiterMemory>();

/**
 * Counts one request against the gateway's budget (`perMinute`), or throws 429 rate_limited with Retry-After.
 * In memory: each instance keeps its own budget (a shared store comes with the per-IP limits).
 */
export async function consumeGatewayBudget(gatewayId: string, perMinute: number): Promise<void> {
  let limiter = limiters.get(perMinute);
  if (!limiter) limiters.set(perMinute, (limiter = new RateLimiterMemory({ points: perMinute, duration: 60 })));
  try {
    await limiter.consume(gatewayId);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw new AppError(
      "rate_limited",
      `Gateway '${gatewayId}' sent more than ${perMinute} requests a minute; retry in ${seconds} s.`,
      {
        "Retry-After": String(seconds),
      },
    );
  }
}
