import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { Flag } from "@/components/Flag";
import { NumberList } from "@/components/NumberList";
import { requestTime } from "@/components/requestTime";
import { getDb } from "@/lib/server/database";
import { alternates } from "@/lib/i18n/alternates";
import { isLocale, LOCALE_INFO } from "@/lib/i18n/locales";
import { listNumbers } from "@/lib/inbox/numbers";
import { countryName } from "@/lib/text/phone";

type Props = { params: Promise<{ locale: string; code: string }> };

// Country URLs are lower case only (/countries/uz), so each country has exactly one address.
const COUNTRY_PATH = /^[a-z]{2}$/;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale, code } = await params;
  if (!COUNTRY_PATH.test(code) || !isLocale(locale)) return {};
  const t = await getTranslations({ locale, namespace: "Country" });
  const country = countryName(code.toUpperCase(), LOCALE_INFO[locale].tag);
  return {
    title: t("metaTitle", { country }),
    description: t("metaDescription", { country }),
    alternates: alternates(locale, `/countries/${code}`),
  };
}

export default async function CountryPage({ params }: Props) {
  const { locale, code } = await params;
  if (!COUNTRY_PATH.test(code) || !isLocale(locale)) notFound();
  setRequestLocale(locale);
  await connection();
  const country = code.toUpperCase();
  const numbers = await listNumbers(await getDb(), { country });
  if (numbers.length === 0) notFound();
  const t = await getTranslations("Country");
  const name = countryName(country, LOCALE_INFO[locale].tag);
  const now = requestTime();
  // "Online" counts numbers whose host is reachable, quiet ones included: they can still receive.
  const online = numbers.filter((n) => n.health === "active" || n.health === "quiet").length;

  return (
    <>
      <header className="flex items-center gap-3 sm:gap-4">
        <Flag country={country} className="h-8 w-12 sm:h-12 sm:w-[4.5rem]" />
        <div>
          <h1 className="text-2xl font-bold tracking-tight text-zinc-900 sm:text-3xl dark:text-zinc-50">
            {t("heading", { country: name })}
          </h1>
          <p className="mt-1 text-zinc-600 dark:text-zinc-400">{t("summary", { count: numbers.length, online })}</p>
        </div>
      </header>
      <div className="mt-8">
        <NumberList numbers={numbers} now={now} showCountry={false} />
      </div>
    </>
  );
}
