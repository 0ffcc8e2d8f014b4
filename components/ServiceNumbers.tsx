import { useLocale, useTranslations } from "next-intl";
import { LOCALE_INFO } from "@/lib/i18n/locales";
import { Link } from "@/lib/i18n/navigation";
import type { ServiceNumber } from "@/lib/inbox/deliverability";
import { countryName, formatInternational } from "@/lib/text/phone";
import { Flag } from "./Flag";
import { RelativeTime } from "./RelativeTime";

/**
 * A service's deliverability: the numbers that received it lately, best first (lib/inbox/deliverability.ts),
 * each with how many in 24 h and 7 days and when last, linking to its inbox. A list whose rows wrap rather than
 * a table: four columns do not fit a phone in Russian, and a table that scrolls sideways hides the counts.
 */
export function ServiceNumbers({ numbers }: { numbers: ServiceNumber[] }) {
  const t = useTranslations("Services");
  const tag = LOCALE_INFO[useLocale()].tag;
  const strong = (chunks: React.ReactNode) => (
    <span className="font-semibold text-zinc-900 dark:text-zinc-50">{chunks}</span>
  );
  return (
    <ol
      data-testid="service-numbers"
      className="divide-y divide-zinc-100 rounded-xl border border-zinc-200 bg-white shadow-sm dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900 dark:shadow-none"
    >
      {numbers.map((n) => (
        <li
          key={n.number}
          data-testid="service-number"
          data-number={n.number}
          className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 px-4 py-3"
        >
          <span className="flex items-center gap-2">
            <Flag country={n.country} />
            <span className="sr-only">{countryName(n.country, tag)}</span>
            <Link
              href={`/numbers/${n.digits}`}
              dir="ltr"
              className="tabular font-mono font-semibold whitespace-nowrap text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300"
            >
              {formatInternational(n.number)}
            </Link>
          </span>
          <span className="tabular flex flex-wrap gap-x-3 gap-y-0.5 text-sm text-zinc-600 dark:text-zinc-400">
            <span
              data-testid="service-number-day"
              className={n.last24h > 0 ? "text-emerald-700 dark:text-emerald-400" : undefined}
            >
              {t.rich("day", { count: n.last24h, strong })}
            </span>
            <span data-testid="service-number-week">{t.rich("week", { count: n.last7d, strong })}</span>
            <span>{t.rich("last", { time: () => <RelativeTime at={n.lastAt} /> })}</span>
          </span>
        </li>
      ))}
    </ol>
  );
}
