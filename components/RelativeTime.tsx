"use client";

import { useClock } from "./clock";
import { absoluteTime, relativeTime } from "./time";

/**
 * "3 min ago", with the exact time on hover. The server renders it with its own clock in UTC; once hydrated,
 * the element is re-created (new key) so the visitor's clock and time zone replace it, since React would
 * otherwise keep the server's text and title after a suppressed mismatch.
 */
export function RelativeTime({ at, className }: { at: string; className?: string }) {
  const clientNow = useClock();
  const hydrated = clientNow !== null;
  const now = clientNow ?? renderTime();
  return (
    <time
      key={hydrated ? "client" : "server"}
      dateTime={at}
      title={absoluteTime(at, hydrated ? undefined : "UTC")}
      className={className}
      suppressHydrationWarning
    >
      {relativeTime(at, now)}
    </time>
  );
}

function renderTime() {
  return Date.now();
}
