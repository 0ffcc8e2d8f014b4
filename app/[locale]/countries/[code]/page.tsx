import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { Flag } from "@/components/Flag";
import { JsonLd } from "@/components/JsonLd";
import { NumberList } from "@/components/NumberList";
import { ServicePicker } from "@/components/ServicePicker";
import { requestTime } from "@/components/requestTime";
import { getDb } from "@/lib/server/database";
import { config } from "@/lib/config";
import { isLocale, LOCALE_INFO, localePath } from "@/lib/i18n/locales";
import { Link } from "@/lib/i18n/navigation";
import { serviceNumbers } from "@/lib/inbox/deliverability";
import { listNumbers, type PublicNumber } from "@/lib/inbox/numbers";
import { serviceName } from "@/lib/services/service";
import { parseServiceParam } from "@/lib/services/slug-param";
import { breadcrumbLd } from "@/lib/seo/json-ld";
import { pageMetadata } from "@/lib/seo/metadata";
import { siteUrl } from "@/lib/seo/urls";
import { countryName } from "@/lib/text/phone";

type Props = {
  params: Promise<{ locale: string; code: string }>;
  searchParams: Promise<{ service?: string | string[] }>;
};

// Country URLs are lower case only (/countries/uz), so each country has exactly one address: proxy.ts redirects
// "/countries/UZ" here (lib/seo/redirects.ts).
const COUNTRY_PATH = /^[a-z]{2}$/;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale, code } = await params;
  if (!COUNTRY_PATH.test(code) || !isLocale(locale)) return {};
  const t = await getTranslations({ locale, namespace: "Country" });
  const og = await getTranslations({ locale, namespace: "Og" });
  const country = countryName(code.toUpperCase(), LOCALE_INFO[locale].tag);
  return pageMetadata({
    locale,
    publicUrl: config().PUBLIC_URL,
    path: `/countries/${code}`,
    title: t("metaTitle", { country }),
    description: t("metaDescription", { country }),
    image: { kind: "country", code },
    imageAlt: og("countryAlt", { country }),
  });
}

/**
 * `?service=whatsapp`: only the numbers that received that service in the last 24 h, best first. A query rather
 * than a path (/countries/uz/whatsapp): it narrows this page rather than being a page of its own, so its
 * canonical address stays the country's (no duplicate pages for search engines), and the picker is a plain GET
 * form. The page cache keys on the whole URL, query included, and proxy.ts's 308s keep the query. Empty means
 * no filter (the picker's "any service"); anything that is not a slug is a 404.
 */
function serviceFilter(raw: string | string[] | undefined): string | null | undefined {
  if (raw === undefined || raw === "") return null;
  if (typeof raw !== "string") return undefined;
  return parseServiceParam(encodeURIComponent(raw)) ?? undefined;
}

export default async function CountryPage({ params, searchParams }: Props) {
  const { locale, code } = await params;
  const service = serviceFilter((await searchParams).service);
  if (!COUNTRY_PATH.test(code) || !isLocale(locale) || service === undefined) notFound();
  setRequestLocale(locale);
  await connection();
  const country = code.toUpperCase();
  const db = await getDb();
  const [all, received] = await Promise.all([
    listNumbers(db, { country }),
    service ? serviceNumbers(db, service, new Date(), { country }) : null,
  ]);
  if (all.length === 0) notFound();
  const numbers = received ? receivedFirst(all, received) : all;
  const t = await getTranslations("Country");
  const name = countryName(country, LOCALE_INFO[locale].tag);
  const now = requestTime();
  // "Online" counts numbers whose host is reachable, quiet ones included: they can still receive.
  const online = all.filter((n) => n.health === "active" || n.health === "quiet").length;

  const url = (path: string) => siteUrl(config().PUBLIC_URL, localePath(locale, path));

  return (
    <>
      <JsonLd
        data={breadcrumbLd([
          { name: "Numbox", url: url("/") },
          { name, url: url(`/countries/${code}`) },
        ])}
      />
      <header className="flex items-center gap-3 sm:gap-4">
        <Flag country={country} className="h-8 w-12 sm:h-12 sm:w-[4.5rem]" />
        <div>
          <h1 className="text-2xl font-bold tracking-tight text-zinc-900 sm:text-3xl dark:text-zinc-50">
            {t("heading", { country: name })}
          </h1>
          <p className="mt-1 text-zinc-600 dark:text-zinc-400">{t("summary", { count: all.length, online })}</p>
        </div>
      </header>
      <div className="mt-6">
        <ServicePicker action={localePath(locale, `/countries/${code}`)} selected={service} />
      </div>
      {service && (
        <div className="mt-4 text-zinc-700 dark:text-zinc-300" data-testid="service-filter">
          <p>
            {numbers.length > 0
              ? t("filtered", { count: numbers.length, service: serviceName(service) ?? service })
              : t("filteredNone", { service: serviceName(service) ?? service })}
          </p>
          <p className="mt-1 flex flex-wrap gap-x-4 text-sm">
            <Link href={`/countries/${code}`} className={LINK}>
              {t("showAll")}
            </Link>
            <Link href={`/services/${service}`} className={LINK}>
              {t("servicePage", { service: serviceName(service) ?? service })}
            </Link>
          </p>
        </div>
      )}
      <div className="mt-6">
        <NumberList numbers={numbers} now={now} showCountry={false} />
      </div>
    </>
  );
}

const LINK = "font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300";

/** The country's numbers that received the service, in the order of `received` (best first). */
function receivedFirst(all: PublicNumber[], received: { number: string }[]): PublicNumber[] {
  const byNumber = new Map(all.map((n) => [n.number, n]));
  return received.flatMap((r) => byNumber.get(r.number) ?? []);
}
