import { useLocale, useTranslations } from "next-intl";
import { countriesIn } from "@/lib/i18n/countries";
import { LOCALE_INFO } from "@/lib/i18n/locales";
import { Link } from "@/lib/i18n/navigation";
import type { Country } from "@/lib/inbox/numbers";
import { Flag } from "./Flag";

export function CountryGrid({ countries }: { countries: Country[] }) {
  const t = useTranslations("Countries");
  const tag = LOCALE_INFO[useLocale()].tag;
  return (
    <ul className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-4">
      {countriesIn(countries, tag).map((country) => (
        <li key={country.code} className="grid">
          <Link
            href={`/countries/${country.code.toLowerCase()}`}
            className="flex items-center gap-3 rounded-xl border border-zinc-200 bg-white px-3 py-3 sm:px-3.5 shadow-sm transition hover:border-zinc-300 hover:shadow-md focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 dark:border-zinc-800 dark:bg-zinc-900 dark:shadow-none dark:hover:border-zinc-700"
          >
            <Flag country={country.code} className="h-5 w-[1.875rem] sm:h-6 sm:w-9" />
            <span className="min-w-0">
              <span className="block leading-snug font-medium text-zinc-900 dark:text-zinc-100">{country.name}</span>
              <span className="tabular block text-xs text-zinc-500 sm:text-sm dark:text-zinc-400">
                {t("activeNumbers", { count: country.numbers })}
              </span>
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
