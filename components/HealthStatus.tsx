import { useLocale, useTranslations } from "next-intl";
import type { Health } from "@/lib/inbox/health";
import { LOCALE_INFO } from "@/lib/i18n/locales";
import { durationSince } from "@/lib/i18n/time";

type Look = { label: string; hint: string; dot: string; text: string };

/**
 * The number's health in words a visitor can act on. Computed on the server at request time, so "Quiet for 7 hours"
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
  const t = useTranslations("Health");
  const tag = LOCALE_INFO[useLocale()].tag;
  const look = describe(health, lastMessageAt, now, t, tag);
  return (
    <span title={look.hint} className={`inline-flex items-center gap-1.5 text-sm font-medium ${look.text}`}>
      <span aria-hidden="true" className={`size-2 shrink-0 rounded-full ${look.dot}`} />
      {look.label}
    </span>
  );
}

function describe(
  health: Health,
  lastMessageAt: string | null,
  now: number,
  t: ReturnType<typeof useTranslations<"Health">>,
  tag: string,
): Look {
  switch (health) {
    case "active":
      return {
        label: t("active"),
        hint: t("activeHint"),
        dot: "bg-emerald-500",
        text: "text-emerald-700 dark:text-emerald-400",
      };
    case "quiet":
      return {
        label: lastMessageAt ? t("quiet", { duration: durationSince(lastMessageAt, now, tag) }) : t("noMessages"),
        hint: t("quietHint"),
        dot: "bg-amber-500",
        text: "text-amber-700 dark:text-amber-400",
      };
    case "offline":
      return {
        label: t("offline"),
        hint: t("offlineHint"),
        dot: "bg-red-500",
        text: "text-red-700 dark:text-red-400",
      };
    case "paused":
      return {
        label: t("paused"),
        hint: t("pausedHint"),
        dot: "bg-zinc-400",
        text: "text-zinc-600 dark:text-zinc-400",
      };
    case "retired":
      return {
        label: t("retired"),
        hint: t("retiredHint"),
        dot: "bg-zinc-400",
        text: "text-zinc-600 dark:text-zinc-400",
      };
  }
}
