import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { cache } from "react";
import { Inbox } from "@/components/Inbox";
import { SEARCH_MAX, SEARCH_MIN, SearchBox, searchOf } from "@/components/SearchBox";
import { MessageResults } from "@/components/MessageResults";
import { JsonLd } from "@/components/JsonLd";
import { PAGE_SIZE } from "@/components/messagesApi";
import { FeedLinks } from "@/components/FeedLinks";
import { NumberHeader } from "@/components/NumberHeader";
import { NumberServices } from "@/components/NumberServices";
import { ReportProblem } from "@/components/ReportProblem";
import { requestTime } from "@/components/requestTime";
import { getDb } from "@/lib/server/database";
import { config } from "@/lib/config";
import { isLocale, LOCALE_INFO, localePath } from "@/lib/i18n/locales";
import { Link } from "@/lib/i18n/navigation";
import { servicesOfNumber } from "@/lib/inbox/deliverability";
import { listMessages } from "@/lib/inbox/messages";
import { getNumber } from "@/lib/inbox/numbers";
import { parseNumberParam } from "@/lib/inbox/params";
import { feedAlternates, numberFeedPaths } from "@/lib/feeds/feeds";
import { isIndexable } from "@/lib/seo/indexable";
import { breadcrumbLd } from "@/lib/seo/json-ld";
import { pageMetadata } from "@/lib/seo/metadata";
import { siteUrl } from "@/lib/seo/urls";
import { countryName, formatInternational } from "@/lib/text/phone";

type Props = {
  params: Promise<{ locale: string; number: string }>;
  searchParams: Promise<{ q?: string | string[] }>;
};

// The URL holds the digits (/numbers/998940373339); a pasted "+998…" or "%2B998…" is redirected there by proxy.ts
// (lib/seo/redirects.ts). Parsed like the API's {number}, not re-validated: a number we hold stays reachable
// whatever the phone metadata says later.
const numberFromPath = parseNumberParam;

// The metadata (noindex or not) and the page read the number once per request.
const numberOf = cache(async (e164: string) => getNumber(await getDb(), e164));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale, number: param } = await params;
  const e164 = numberFromPath(param);
  if (!e164 || !isLocale(locale)) return {};
  await connection();
  const number = await numberOf(e164);
  const t = await getTranslations({ locale, namespace: "Number" });
  const og = await getTranslations({ locale, namespace: "Og" });
  const formatted = formatInternational(e164);
  const metadata = pageMetadata({
    locale,
    publicUrl: config().PUBLIC_URL,
    path: `/numbers/${e164.slice(1)}`,
    title: t("metaTitle", { number: formatted }),
    description: t("metaDescription", { number: formatted }),
    image: { kind: "number", digits: e164.slice(1) },
    imageAlt: og("numberAlt", { number: formatted }),
    // A retired number or an empty inbox is a thin page: shown to visitors, left out of search engines.
    indexable: number !== undefined && isIndexable(number, new Date(), config().RETENTION_DAYS),
  });
  // Feed readers find the inbox's feeds from the page (autodiscovery): `<link rel="alternate" type=…>`.
  const types = feedAlternates(numberFeedPaths(e164.slice(1)));
  return { ...metadata, alternates: { ...metadata.alternates, types } };
}

// The newest matches shown for a search; the API pages further (`before=`).
const SEARCH_RESULTS = 50;

export default async function NumberPage({ params, searchParams }: Props) {
  const { locale, number: param } = await params;
  const search = searchOf((await searchParams).q);
  const e164 = numberFromPath(param);
  if (!e164 || !isLocale(locale)) notFound();
  setRequestLocale(locale);
  await connection();
  const number = await numberOf(e164);
  if (!number) notFound();
  const db = await getDb();
  const [firstPage, services, found] = await Promise.all([
    listMessages(db, number.number, { limit: PAGE_SIZE }),
    servicesOfNumber(db, number.number, new Date()),
    search?.valid ? listMessages(db, number.number, { limit: SEARCH_RESULTS, q: search.text }) : null,
  ]);
  const t = await getTranslations("Search");
  const tNumber = await getTranslations("Number");
  const now = requestTime();
  const url = (path: string) => siteUrl(config().PUBLIC_URL, localePath(locale, path));

  return (
    <div className="mx-auto max-w-3xl">
      <JsonLd
        data={breadcrumbLd([
          { name: "Numbox", url: url("/") },
          {
            name: countryName(number.country, LOCALE_INFO[locale].tag),
            url: url(`/countries/${number.country.toLowerCase()}`),
          },
          { name: formatInternational(number.number), url: url(`/numbers/${number.digits}`) },
        ])}
      />
      <NumberHeader number={number} now={now} retentionDays={config().RETENTION_DAYS} />
      {/* Keyed by number, so that moving to another number's inbox starts both afresh; siblings, so named apart. */}
      <NumberServices services={services} />
      {number.status !== "retired" && <ReportProblem key={`report ${number.number}`} digits={number.digits} />}
      <SearchBox
        action={localePath(locale, `/numbers/${number.digits}`)}
        query={search?.text ?? ""}
        label={t("label")}
      />
      {search && (
        <div className="mt-3 text-sm text-zinc-700 dark:text-zinc-300" data-testid="search-summary">
          <p>
            {!search.valid
              ? t("tooShort", { min: SEARCH_MIN, max: SEARCH_MAX })
              : found!.messages.length > 0
                ? t("results", { count: found!.messages.length, q: search.text })
                : t("none", { q: search.text })}
          </p>
          <Link
            href={`/numbers/${number.digits}`}
            className="font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300"
          >
            {t("clear")}
          </Link>
        </div>
      )}
      {found ? (
        <div className="mt-4">
          <MessageResults messages={found.messages} renderedAt={now} showNumber={false} />
        </div>
      ) : (
        <Inbox
          key={`inbox ${number.number}`}
          number={number.number}
          digits={number.digits}
          hostOnline={number.health !== "offline"}
          firstPage={firstPage}
          renderedAt={now}
        />
      )}
      <FeedLinks paths={numberFeedPaths(number.digits)} label={tNumber("feeds")} />
    </div>
  );
}
