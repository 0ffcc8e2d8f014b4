import { addressKey } from "@/lib/limits/address-key";
import { limiterFor, spendOrRefuse } from "@/lib/limits/budget";

/**
 * Counts one report against the visitor's hourly budget, or throws 429 rate_limited with Retry-After. Keyed by
 * the unforgeable client address (lib/limits/client-address.ts), an IPv6 client by its /64 (addressKey). In
 * memory: reports are rare, and a per-instance budget is enough to stop a flood.
 */
export async function consumeReportBudget(address: string | null, perHour: number): Promise<void> {
  await spendOrRefuse(
    limiterFor({ name: "reports", points: perHour, seconds: 3600 }, undefined),
    addressKey(address),
    (seconds) => {
      const minutes = Math.ceil(seconds / 60);
      return `Too many reports from your connection; try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
    },
  );
}
