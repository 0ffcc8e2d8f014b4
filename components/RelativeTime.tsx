"use client";

import { useLocale, useTranslations } from "next-intl";
import { LOCALE_INFO } from "@/lib/i18n/locales";
import { absoluteTime, relativeTime } from "@/lib/i18n/time";
import { useClock } from "./clock";

/**
 * "3 minutes ago" in the page's language, with the exact time on hover. The server renders it with its own
 * clock in UTC; once hydrated, the element is re-created (new key) so the visitor's clock and time zone replace
 * it, since React would otherwise keep the server's text and title after a suppressed mismatch.
 */
export function RelativeTime({ at, className }: { at: string; className?: string }) {
  const tag = LOCALE_INFO[useLocale()].tag;
  const t = useTranslations("Time");
  const clientNow = useClock();
  const hydrated = clientNow !== null;
  const now = clientNow ?? renderTime();
  return (
    <time
      key={hydrated ? "client" : "server"}
      dateTime={at}
      title={absoluteTime(at, tag, hydrated ? undefined : "UTC")}
      className={className}
      suppressHydrationWarning
    >
      {relativeTime(at, now, tag, t("justNow"))}
    </time>
  );
}

function renderTime() {
  return Date.now();
}
