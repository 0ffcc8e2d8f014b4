import { useLocale, useTranslations } from "next-intl";
import { LOCALE_INFO } from "@/lib/i18n/locales";
import { Link } from "@/lib/i18n/navigation";
import type { PublicNumber } from "@/lib/inbox/numbers";
import { countryName, formatInternational } from "@/lib/text/phone";
import { DemoBadge } from "./DemoBadge";
import { Flag } from "./Flag";
import { HealthStatus } from "./HealthStatus";
import { RelativeTime } from "./RelativeTime";

/**
 * One number in a list: what a visitor needs to pick it, and a link to its inbox. The link is named by what it
 * shows (no aria-label): a voice-control user says the words they see.
 */
export function NumberCard({
  number,
  now,
  showCountry = true,
}: {
  number: PublicNumber;
  now: number;
  showCountry?: boolean;
}) {
  const t = useTranslations("NumberCard");
  const tag = LOCALE_INFO[useLocale()].tag;
  const formatted = formatInternational(number.number);
  const country = countryName(number.country, tag);
  return (
    <Link
      href={`/numbers/${number.digits}`}
      className="group flex flex-col gap-2 rounded-xl border border-zinc-200 bg-white p-4 shadow-sm transition hover:border-zinc-300 hover:shadow-md focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 dark:border-zinc-800 dark:bg-zinc-900 dark:shadow-none dark:hover:border-zinc-700 dark:hover:bg-zinc-900/80"
    >
      <div className="flex min-h-6 items-center justify-between gap-2">
        {showCountry ? (
          <span className="flex min-w-0 items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
            <Flag country={number.country} />
            <span className="truncate">{country}</span>
          </span>
        ) : (
          <HealthStatus health={number.health} lastMessageAt={number.lastMessageAt} now={now} />
        )}
        {number.demo && <DemoBadge />}
      </div>

      {/* A phone number reads left to right in every language; text-start keeps it on the reading side. */}
      <p className="text-start">
        <span
          dir="ltr"
          className="tabular font-mono text-xl font-semibold tracking-tight text-zinc-900 group-hover:text-indigo-700 sm:text-2xl dark:text-zinc-50 dark:group-hover:text-indigo-300"
        >
          {formatted}
        </span>
      </p>

      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-zinc-600 dark:text-zinc-400">
        {showCountry && <HealthStatus health={number.health} lastMessageAt={number.lastMessageAt} now={now} />}
        <span>
          {number.lastMessageAt
            ? t.rich("lastSms", {
                time: () => (
                  <RelativeTime at={number.lastMessageAt!} className="font-medium text-zinc-800 dark:text-zinc-200" />
                ),
              })
            : t("noSms")}
        </span>
        <span className="tabular">
          {t.rich("in24h", {
            count: number.messages24h,
            strong: (chunks) => <span className="font-medium text-zinc-800 dark:text-zinc-200">{chunks}</span>,
          })}
        </span>
      </div>
    </Link>
  );
}
