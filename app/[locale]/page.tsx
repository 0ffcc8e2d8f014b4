import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { CountryGrid } from "@/components/CountryGrid";
import { NoNumbersYet } from "@/components/NoNumbersYet";
import { Faq } from "@/components/Faq";
import { JsonLd } from "@/components/JsonLd";
import { NumberList } from "@/components/NumberList";
import { requestTime } from "@/components/requestTime";
import { getDb } from "@/lib/server/database";
import { config } from "@/lib/config";
import { isLocale, LOCALE_INFO, localePath } from "@/lib/i18n/locales";
import { listCountries, recentNumbers } from "@/lib/inbox/numbers";
import { websiteLd } from "@/lib/seo/json-ld";
import { pageMetadata } from "@/lib/seo/metadata";
import { siteUrl } from "@/lib/seo/urls";

type Props = { params: Promise<{ locale: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  if (!isLocale(locale)) return {};
  const t = await getTranslations({ locale, namespace: "Metadata" });
  const og = await getTranslations({ locale, namespace: "Og" });
  const page = pageMetadata({
    locale,
    publicUrl: config().PUBLIC_URL,
    path: "/",
    title: t("title"),
    description: t("description"),
    image: { kind: "site" },
    imageAlt: og("siteAlt"),
  });
  // The site's own title, whole: the layout's template would add "· Numbox" to a title that starts with it.
  return { ...page, title: { absolute: t("title") } };
}

export default async function HomePage({ params }: Props) {
  const { locale } = await params;
  // The layout has already refused anything that is not a locale; this tells TypeScript.
  if (!isLocale(locale)) notFound();
  setRequestLocale(locale);
  await connection();
  const t = await getTranslations("Home");
  const meta = await getTranslations("Metadata");
  const db = await getDb();
  const [countries, recent] = await Promise.all([listCountries(db), recentNumbers(db, 6)]);
  const now = requestTime();

  return (
    <>
      <JsonLd
        data={websiteLd({
          name: "Numbox",
          url: siteUrl(config().PUBLIC_URL, localePath(locale, "/")),
          description: meta("description"),
          language: LOCALE_INFO[locale].tag,
        })}
      />
      <section className="max-w-2xl">
        <h1 className="text-3xl font-bold tracking-tight text-balance text-zinc-900 sm:text-4xl dark:text-zinc-50">
          {t("heading")}
        </h1>
        <p className="mt-3 text-lg text-pretty text-zinc-600 dark:text-zinc-400">{t("intro")}</p>
      </section>

      {countries.length === 0 ? (
        <div className="mt-10">
          <NoNumbersYet />
        </div>
      ) : (
        <>
          <section aria-labelledby="countries-heading" className="mt-10">
            <h2 id="countries-heading" className="mb-3 text-lg font-semibold text-zinc-900 dark:text-zinc-50">
              {t("countries")}
            </h2>
            <CountryGrid countries={countries} />
          </section>

          {recent.length > 0 && (
            <section aria-labelledby="recent-heading" className="mt-10">
              <h2 id="recent-heading" className="mb-3 text-lg font-semibold text-zinc-900 dark:text-zinc-50">
                {t("recent")}
              </h2>
              <NumberList numbers={recent} now={now} />
            </section>
          )}
        </>
      )}
      <Faq locale={locale} />
    </>
  );
}
