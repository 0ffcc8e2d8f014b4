import { ne } from "drizzle-orm";
import type { Db } from "@/db/client";
import { numbers, type NumberStatus } from "@/db/schema";
import { DEFAULT_LOCALE, LOCALES } from "@/lib/i18n/locales";
import { servicesReceivedSince } from "@/lib/inbox/deliverability";
import { SERVICES } from "@/lib/services/catalogue";
import { isIndexable } from "./indexable";
import type { SitemapPage } from "./sitemap";

export type NumberFacts = { number: string; country: string; status: NumberStatus; lastMessageAt: Date | null };

/**
 * The pages a search engine should know, from the numbers' facts: the home page and the gateway docs, every
 * country with a number in service, and every inbox worth indexing (./indexable.ts). A page's lastmod is its
 * newest message: the number's own, the newest of a country's numbers, the newest of all for the home page.
 * The services' list and the pages of the catalogue's services that some number received in the last 7 days
 * follow (./indexable.ts: a sender's own service is not indexed).
 * The docs are written in English only (app/[locale]/docs/gateways, docs/api): their other languages' copies name the
 * English page as canonical, so only it is listed.
 */
export function sitemapPagesOf(
  facts: readonly NumberFacts[],
  now: Date,
  retentionDays: number,
  // The catalogue's services some number received in the last 7 days (their pages: ./indexable.ts).
  services: readonly string[] = [],
): SitemapPage[] {
  const inService = facts.filter((n) => n.status !== "retired");
  const newest = (dates: (Date | null)[]) =>
    dates.reduce<Date | null>((max, d) => (d && (!max || d > max) ? d : max), null);
  const countries = [...new Set(inService.map((n) => n.country))].sort();
  const inboxes = inService
    .filter((n) => isIndexable(n, now, retentionDays))
    .sort((a, b) => a.number.localeCompare(b.number));
  return [
    { path: "/", lastModified: newest(inService.map((n) => n.lastMessageAt)), languages: LOCALES },
    { path: "/docs/gateways", lastModified: null, languages: [DEFAULT_LOCALE] },
    { path: "/docs/api", lastModified: null, languages: [DEFAULT_LOCALE] },
    ...countries.map((country) => ({
      path: `/countries/${country.toLowerCase()}`,
      lastModified: newest(inService.filter((n) => n.country === country).map((n) => n.lastMessageAt)),
      languages: LOCALES,
    })),
    // The services' pages change with every message: no lastmod rather than a wrong one.
    ...(services.length > 0 ? [{ path: "/services", lastModified: null, languages: LOCALES }] : []),
    ...[...services]
      .sort()
      .map((slug) => ({ path: `/services/${encodeURIComponent(slug)}`, lastModified: null, languages: LOCALES })),
    ...inboxes.map((n) => ({
      path: `/numbers/${n.number.slice(1)}`,
      lastModified: n.lastMessageAt,
      languages: LOCALES,
    })),
  ];
}

/** The sitemap's pages, read from the database: one query over the numbers table (the facts kept on write). */
export async function sitemapPages(db: Db, now: Date, retentionDays: number): Promise<SitemapPage[]> {
  const rows = await db
    .select({
      number: numbers.number,
      country: numbers.country,
      status: numbers.status,
      lastMessageAt: numbers.lastMessageAt,
    })
    .from(numbers)
    .where(ne(numbers.status, "retired"));
  const services = await servicesReceivedSince(
    db,
    SERVICES.map((s) => s.slug),
    now,
  );
  return sitemapPagesOf(rows, now, retentionDays, [...services]);
}
