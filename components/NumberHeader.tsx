import { useLocale, useTranslations } from "next-intl";
import { LOCALE_INFO } from "@/lib/i18n/locales";
import { Link } from "@/lib/i18n/navigation";
import type { PublicNumber } from "@/lib/inbox/numbers";
import { countryName, formatInternational } from "@/lib/text/phone";
import { CopyButton } from "./CopyButton";
import { DemoBadge } from "./DemoBadge";
import { Flag } from "./Flag";
import { HealthStatus } from "./HealthStatus";
import { ArrowLeftIcon } from "./icons";

/** The top of an inbox: which number this is, whether it works, and the warning that everything here is public. */
export function NumberHeader({
  number,
  now,
  retentionDays,
}: {
  number: PublicNumber;
  now: number;
  retentionDays: number;
}) {
  const t = useTranslations("Number");
  const tag = LOCALE_INFO[useLocale()].tag;
  const country = countryName(number.country, tag);
  return (
    <header>
      <Link
        href={`/countries/${number.country.toLowerCase()}`}
        className="inline-flex items-center gap-1.5 rounded text-sm text-zinc-600 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 dark:text-zinc-400 dark:hover:text-zinc-100"
      >
        {/* "Back" points towards where reading starts: left, or right in Arabic. */}
        <ArrowLeftIcon className="size-4 rtl:-scale-x-100" />
        {t("allNumbers", { country })}
      </Link>

      <div className="mt-4 flex flex-wrap items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
        <Flag country={number.country} className="h-5 w-[1.875rem]" />
        <span>{country}</span>
        {number.demo && <DemoBadge />}
      </div>

      <div className="mt-2 flex flex-wrap items-center gap-x-3 gap-y-3 sm:gap-x-4">
        <h1 className="tabular font-mono text-2xl font-bold tracking-tight text-zinc-900 min-[400px]:text-[1.625rem] sm:text-4xl dark:text-zinc-50">
          <span dir="ltr">{formatInternational(number.number)}</span>
        </h1>
        <CopyButton text={number.number} label={t("copyNumber", { number: number.number })} />
      </div>

      <div className="mt-3 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
        <HealthStatus health={number.health} lastMessageAt={number.lastMessageAt} now={now} />
        <span className="tabular text-zinc-600 dark:text-zinc-400">
          {t("messages24h", { count: number.messages24h })}
        </span>
      </div>

      <p className="mt-4 rounded-lg border border-amber-200 bg-amber-50 px-3.5 py-2.5 text-sm text-amber-900 dark:border-amber-400/20 dark:bg-amber-400/10 dark:text-amber-200">
        {t("warning", { days: retentionDays })}
      </p>
    </header>
  );
}
