import type { NumberStatus } from "@/db/schema";

/**
 * What a visitor needs to know before waiting for a code on a number, derived from facts we record rather than
 * a decorative green dot:
 * - "offline": the host behind it (modem, phone, provider) has not been heard from within the window;
 * - "quiet":   the host is up but no message arrived for a while (the number may be blocked by services);
 * - "active":  the host is up and messages are arriving;
 * - "paused" / "retired": the operator took it out of service.
 */
export type Health = "active" | "quiet" | "offline" | "paused" | "retired";

// A number that received nothing for this long is worth flagging: services often block public numbers.
export const QUIET_AFTER_MS = 6 * 60 * 60 * 1000;

export function healthOf(
  facts: { status: NumberStatus; lastMessageAt: Date | null; hostSeenAt: Date | null },
  now: Date,
  offlineAfterMs: number,
): Health {
  if (facts.status !== "active") return facts.status;
  if (!facts.hostSeenAt || now.getTime() - facts.hostSeenAt.getTime() > offlineAfterMs) return "offline";
  if (!facts.lastMessageAt || now.getTime() - facts.lastMessageAt.getTime() > QUIET_AFTER_MS) return "quiet";
  return "active";
}
