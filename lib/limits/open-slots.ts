import { AppError } from "@/lib/errors";
import { metrics } from "@/lib/observability/metrics";
import { processWide } from "@/lib/process-wide";
import { addressKey } from "./address-key";
import { clientAddress, type ProxyTrust } from "./client-address";

/**
 * How many live streams (or wait calls) each address holds open right now, on this instance. A rate limiter
 * counts requests in a time window; this counts connections until they end, so it is a plain counter. It is per
 * instance (in memory): an address can hold this many on each instance behind a load balancer.
 */
export class OpenSlots {
  private open = new Map<string, number>();

  constructor(readonly limit: number) {}

  /** A slot for `key`, or null when it holds `limit` already. The release is safe to call more than once. */
  take(key: string): (() => void) | null {
    const held = this.open.get(key) ?? 0;
    if (held >= this.limit) return null;
    this.open.set(key, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const now = (this.open.get(key) ?? 1) - 1;
      if (now <= 0) this.open.delete(key);
      else this.open.set(key, now);
    };
  }

  held(key: string): number {
    return this.open.get(key) ?? 0;
  }

  /** Slots held by everyone. */
  total(): number {
    let sum = 0;
    for (const held of this.open.values()) sum += held;
    return sum;
  }
}

/** How many streams or waits this process holds open now, whoever holds them. */
export function openCount(kind: "streams" | "waits"): number {
  let sum = 0;
  for (const [id, slots] of allSlots()) if (id.startsWith(`${kind}:`)) sum += slots.total();
  return sum;
}

// Every counter of the process, by kind and limit.
const allSlots = () => processWide("open slots", () => new Map<string, OpenSlots>());

/** The process-wide counter for one kind of connection (each route bundle has this module). */
export function openSlots(kind: "streams" | "waits", limit: number): OpenSlots {
  const all = allSlots();
  const id = `${kind}:${limit}`;
  let slots = all.get(id);
  if (!slots) all.set(id, (slots = new OpenSlots(limit)));
  return slots;
}

const WHAT = { streams: "live streams", waits: "wait calls" } as const;

/**
 * Takes one of the client's slots for a stream or wait, released when the request is aborted (the client went
 * away) or by the caller when it is done; or throws 429 rate_limited when the client holds them all already.
 */
export function occupySlot(
  kind: "streams" | "waits",
  request: Request,
  limit: number,
  proxies: ProxyTrust,
): () => void {
  const release = takeSlot(kind, request.headers, limit, proxies);
  request.signal.addEventListener("abort", release, { once: true });
  return release;
}

/** The same, for a caller that releases it itself whenever the connection ends (lib/server/stream.ts). */
export function takeSlot(kind: "streams" | "waits", headers: Headers, limit: number, proxies: ProxyTrust): () => void {
  const release = openSlots(kind, limit).take(addressKey(clientAddress(headers, proxies)));
  if (!release) {
    metrics().rateLimited.inc({ door: kind });
    throw new AppError(
      "rate_limited",
      `Your address already has ${limit} ${WHAT[kind]} open, the most allowed at once; close one and try again.`,
      // A slot frees when one of the client's own connections ends; suggest a short pause, not a long one.
      { "Retry-After": "5" },
    );
  }
  return release;
}
