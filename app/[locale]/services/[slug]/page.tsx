import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { cache } from "react";
import { FeedLinks } from "@/components/FeedLinks";
import { JsonLd } from "@/components/JsonLd";
import { ReportedNumbers } from "@/components/ReportedNumbers";
import { MessageResults } from "@/components/MessageResults";
import { SEARCH_MAX, SEARCH_MIN, SearchBox, searchOf } from "@/components/SearchBox";
import { ServiceNumbers } from "@/components/ServiceNumbers";
import { requestTime } from "@/components/requestTime";
import { config } from "@/lib/config";
import { feedAlternates, serviceFeedPaths } from "@/lib/feeds/feeds";
import { isLocale, localePath } from "@/lib/i18n/locales";
import { Link } from "@/lib/i18n/navigation";
import { latestServiceMessages, reportedNumbers, serviceNumbers } from "@/lib/inbox/deliverability";
import { isServiceIndexable } from "@/lib/seo/indexable";
import { breadcrumbLd } from "@/lib/seo/json-ld";
import { pageMetadata } from "@/lib/seo/metadata";
import { siteUrl } from "@/lib/seo/urls";
import { getDb } from "@/lib/server/database";
import { serviceName } from "@/lib/services/service";
import { parseServiceParam } from "@/lib/services/slug-param";

type Props = {
  params: Promise<{ locale: string; slug: string }>;
  searchParams: Promise<{ q?: string | string[] }>;
};

const LATEST_MESSAGES = 20;

/**
 * What the page shows, read once per request (metadata and page share it): the numbers that received the
 * service in 7 days, its latest messages, the reported numbers. Null for a page that is not there: a service
 * outside the catalogue that no number received in 7 days (a sender's own name says nothing once it is gone).
 * A catalogue service with nothing recent still has its page, which says so and is not indexed: its address is
 * stable, linked and searched for, and "nothing this week" is an answer.
 */
const serviceOf = cache(async (slug: string) => {
  const db = await getDb();
  const now = new Date();
  const numbers = await serviceNumbers(db, slug, now);
  const name = serviceName(slug);
  if (numbers.length === 0 && name === null) return null;
  const [latest, reported] = await Promise.all([
    latestServiceMessages(db, slug, LATEST_MESSAGES),
    reportedNumbers(db, slug, now),
  ]);
  return { slug, name: name ?? latest[0]?.from ?? slug, inCatalogue: name !== null, numbers, latest, reported };
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale, slug: param } = await params;
  const slug = parseServiceParam(param);
  if (!slug || !isLocale(locale)) return {};
  await connection();
  const service = await serviceOf(slug);
  if (!service) return {};
  const t = await getTranslations({ locale, namespace: "Service" });
  const og = await getTranslations({ locale, namespace: "Og" });
  const metadata = pageMetadata({
    locale,
    publicUrl: config().PUBLIC_URL,
    path: `/services/${encodeURIComponent(slug)}`,
    title: t("metaTitle", { service: service.name }),
    description: t("metaDescription", { service: service.name }),
    image: { kind: "site" },
    imageAlt: og("siteAlt"),
    indexable: isServiceIndexable({ inCatalogue: service.inCatalogue, receivedRecently: service.numbers.length > 0 }),
  });
  // Feed readers find the service's feeds from the page (autodiscovery), as they find an inbox's.
  return { ...metadata, alternates: { ...metadata.alternates, types: feedAlternates(serviceFeedPaths(slug)) } };
}

export default async function ServicePage({ params, searchParams }: Props) {
  const { locale, slug: param } = await params;
  const search = searchOf((await searchParams).q);
  const slug = parseServiceParam(param);
  if (!slug || !isLocale(locale)) notFound();
  setRequestLocale(locale);
  await connection();
  const service = await serviceOf(slug);
  if (!service) notFound();
  const t = await getTranslations("Service");
  const tServices = await getTranslations("Services");
  const tSearch = await getTranslations("Search");
  const found = search?.valid ? await latestServiceMessages(await getDb(), slug, LATEST_MESSAGES, search.text) : null;
  const shown = found ?? service.latest;
  const now = requestTime();
  const url = (path: string) => siteUrl(config().PUBLIC_URL, localePath(locale, path));
  const name = service.name;
  const h2 = "mb-3 text-lg font-semibold text-zinc-900 dark:text-zinc-50";

  return (
    <div className="mx-auto max-w-3xl">
      <JsonLd
        data={breadcrumbLd([
          { name: "Numbox", url: url("/") },
          { name: tServices("heading"), url: url("/services") },
          { name, url: url(`/services/${encodeURIComponent(slug)}`) },
        ])}
      />
      <Link
        href="/services"
        className="text-sm font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300"
      >
        {t("allServices")}
      </Link>
      <h1 className="mt-2 text-start text-2xl font-bold tracking-tight text-zinc-900 sm:text-3xl dark:text-zinc-50">
        {t("heading", { service: name })}
      </h1>
      <p className="mt-2 text-pretty text-zinc-600 dark:text-zinc-400">{t("intro", { service: name })}</p>

      <section aria-labelledby="service-numbers-heading" className="mt-8">
        <h2 id="service-numbers-heading" className={h2}>
          {t("numbersHeading", { service: name })}
        </h2>
        {service.numbers.length > 0 ? (
          <ServiceNumbers numbers={service.numbers} />
        ) : (
          <p data-testid="service-none-recent" className="text-zinc-600 dark:text-zinc-400">
            {t("noneRecent", { service: name })}
          </p>
        )}
      </section>

      {service.reported.length > 0 && (
        <section aria-labelledby="service-reported-heading" className="mt-8">
          <h2 id="service-reported-heading" className={h2}>
            {t("reportedHeading", { service: name })}
          </h2>
          <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">{t("reportedAbout", { service: name })}</p>
          <ReportedNumbers numbers={service.reported} />
        </section>
      )}

      {service.latest.length > 0 && (
        <section aria-labelledby="service-latest-heading" className="mt-8">
          <h2 id="service-latest-heading" className={h2}>
            {t("latestHeading", { service: name })}
          </h2>
          <SearchBox
            action={localePath(locale, `/services/${encodeURIComponent(slug)}`)}
            query={search?.text ?? ""}
            label={tSearch("serviceLabel", { service: name })}
          />
          {search && (
            <div className="mt-3 text-sm text-zinc-700 dark:text-zinc-300" data-testid="search-summary">
              <p>
                {!search.valid
                  ? tSearch("tooShort", { min: SEARCH_MIN, max: SEARCH_MAX })
                  : shown.length > 0
                    ? tSearch("results", { count: shown.length, q: search.text })
                    : tSearch("serviceNone", { service: name, q: search.text })}
              </p>
              <Link
                href={`/services/${slug}`}
                className="font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300"
              >
                {tSearch("clear")}
              </Link>
            </div>
          )}
          <div className="mt-4">
            <MessageResults messages={shown} renderedAt={now} showNumber />
          </div>
        </section>
      )}

      <FeedLinks paths={serviceFeedPaths(slug)} label={t("feeds", { service: name })} />
    </div>
  );
}
