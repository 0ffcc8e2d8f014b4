import { setTimeout as sleep } from "node:timers/promises";
import type { GatewayAlert } from "./gateway-silence";

export type Delivery = { attempts: number; firstRetryMs: number; timeoutMs: number };

// Four tries over about a minute (2 s, 8 s, 32 s apart): a receiver restarting or briefly down still gets it.
export const DELIVERY: Delivery = { attempts: 4, firstRetryMs: 2_000, timeoutMs: 10_000 };

/** The alert as posted: its fields, and a `text` sentence, so that a Slack or Mattermost incoming webhook shows it. */
export function alertBody(alert: GatewayAlert, offlineAfterMinutes: number): Record<string, string> {
  const text =
    alert.event === "gateway.offline"
      ? `Numbox: gateway '${alert.gateway}' (${alert.kind}) has sent nothing for ${offlineAfterMinutes} minute${offlineAfterMinutes === 1 ? "" : "s"}; last seen ${alert.lastSeenAt}.`
      : `Numbox: gateway '${alert.gateway}' (${alert.kind}) is sending again (last seen ${alert.lastSeenAt}).`;
  return { ...alert, text };
}

/**
 * POSTs an alert to the operator's webhook (ALERT_WEBHOOK_URL): JSON, retried with growing pauses while the
 * receiver cannot be reached, times out, or answers 5xx or 429; never again once it answered 2xx (one alert per
 * change), nor after another 4xx (it refuses this request, and will refuse it again). Resolves with how it went;
 * never throws. At most once: a process that stops while retrying does not send it later.
 */
export async function deliverAlert(
  url: string,
  body: Record<string, string>,
  delivery: Delivery = DELIVERY,
): Promise<{ delivered: boolean; attempts: number; last: string }> {
  let last = "";
  for (let attempt = 1; attempt <= delivery.attempts; attempt++) {
    if (attempt > 1) await sleep(delivery.firstRetryMs * 4 ** (attempt - 2));
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "User-Agent": "Numbox alerts" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(delivery.timeoutMs),
        redirect: "error",
      });
      await response.body?.cancel();
      last = `HTTP ${response.status}`;
      if (response.ok) return { delivered: true, attempts: attempt, last };
      if (response.status !== 429 && response.status < 500) return { delivered: false, attempts: attempt, last };
    } catch (error) {
      last = error instanceof Error ? `${error.name}: ${error.message}` : "failed";
    }
  }
  return { delivered: false, attempts: delivery.attempts, last };
}
