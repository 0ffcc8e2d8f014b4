import type { Health } from "@/lib/inbox/health";
import { durationSince } from "./time";

type Look = { label: string; hint: string; dot: string; text: string };

/**
 * The number's health in words a visitor can act on. Computed on the server at request time, so "Quiet for 7 h"
 * is as fresh as the page.
 */
export function HealthStatus({
  health,
  lastMessageAt,
  now,
}: {
  health: Health;
  lastMessageAt: string | null;
  now: number;
}) {
  const look = describe(health, lastMessageAt, now);
  return (
    <span title={look.hint} className={`inline-flex items-center gap-1.5 text-sm font-medium ${look.text}`}>
      <span aria-hidden="true" className={`size-2 shrink-0 rounded-full ${look.dot}`} />
      {look.label}
    </span>
  );
}

function describe(health: Health, lastMessageAt: string | null, now: number): Look {
  switch (health) {
    case "active":
      return {
        label: "Active",
        hint: "The host is online and messages are arriving.",
        dot: "bg-emerald-500",
        text: "text-emerald-700 dark:text-emerald-400",
      };
    case "quiet":
      return {
        label: lastMessageAt ? `Quiet for ${durationSince(lastMessageAt, now)}` : "No messages yet",
        hint: "The host is online, but nothing arrived for a while. Some services block public numbers.",
        dot: "bg-amber-500",
        text: "text-amber-700 dark:text-amber-400",
      };
    case "offline":
      return {
        label: "Host offline",
        hint: "The modem or phone behind this number has not checked in recently; messages may not arrive.",
        dot: "bg-red-500",
        text: "text-red-700 dark:text-red-400",
      };
    case "paused":
      return {
        label: "Paused",
        hint: "The operator paused this number.",
        dot: "bg-zinc-400",
        text: "text-zinc-600 dark:text-zinc-400",
      };
    case "retired":
      return {
        label: "Retired",
        hint: "This number is no longer in service.",
        dot: "bg-zinc-400",
        text: "text-zinc-600 dark:text-zinc-400",
      };
  }
}
