/**
 * How long a one-time code is worth typing. Services keep a code valid for 2 to 10 minutes; past the longest
 * of those it has probably expired, and a visitor who types it in has wasted the attempt (some services lock
 * the number after a few). "Probably": the service decides, and a message's age is by the source's clock.
 */
export const CODE_LIFETIME_MS = 10 * 60_000;

/** Whether a code received at `receivedAt` (ISO 8601) has probably expired at `now` (ms since the epoch). */
export function probablyExpired(receivedAt: string, now: number): boolean {
  return now - new Date(receivedAt).getTime() > CODE_LIFETIME_MS;
}
