import type { Db } from "@/db/client";
import type { Config } from "@/lib/config";
import { sitemapPages } from "./pages";
import { sitemapUrls, splitSitemap, type SitemapUrl } from "./sitemap";

/** The sitemap's files as they stand now: every indexable page in every language, SITEMAP_MAX_URLS a file. */
export async function sitemapFiles(
  db: Db,
  settings: Pick<Config, "PUBLIC_URL" | "RETENTION_DAYS" | "SITEMAP_MAX_URLS">,
): Promise<SitemapUrl[][]> {
  const pages = await sitemapPages(db, new Date(), settings.RETENTION_DAYS);
  return splitSitemap(sitemapUrls(pages, settings.PUBLIC_URL), settings.SITEMAP_MAX_URLS);
}

/**
 * Crawlers fetch a sitemap now and then: a CDN or proxy in front may keep it ten minutes. A new number shows up
 * in it that much later, which no search engine notices.
 */
export const SITEMAP_HEADERS = {
  "Content-Type": "application/xml; charset=utf-8",
  "Cache-Control": "public, max-age=600",
} as const;
