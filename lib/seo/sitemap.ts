import { alternates } from "@/lib/i18n/alternates";
import { DEFAULT_LOCALE, localePath, type Locale } from "@/lib/i18n/locales";
import { siteUrl } from "./urls";

/**
 * The sitemap, as plain data and XML. Pure: the routes (app/sitemap.xml, app/sitemaps/[file]) read the pages from
 * the database (./pages.ts) and hand them here.
 *
 * Written by hand rather than with Next's MetadataRoute sitemap: splitting it needs `generateSitemaps`, which
 * Next calls at build time to prerender the list of files, when there is no database to count the numbers in;
 * and the `sitemap` package brings a stream API and two dependencies for three elements and one escape. The
 * e2e tests read what this writes with a real XML parser.
 */

/** A page of the site, by its English (unprefixed) path, and the languages it is written in. */
export type SitemapPage = { path: string; lastModified: Date | null; languages: readonly Locale[] };

/** One `<url>`: a page in one language, with every language's address of it. */
export type SitemapUrl = { loc: string; lastmod: string | null; alternates: { hreflang: string; href: string }[] };

/**
 * URLs per file: the sitemaps protocol allows 50,000 and 50 MB. Each URL here carries its 11 hreflang links (~1.3
 * KB in all with a long host name), so 50,000 of them would pass 50 MB; 30,000 keeps a file near 40 MB. The
 * operator can lower it with SITEMAP_MAX_URLS (lib/config.ts), which is also how the e2e tests see a split.
 */
export const SITEMAP_MAX_URLS = 30_000;

/** Every page in every language it is written in, each with all its alternates (x-default included). */
export function sitemapUrls(pages: readonly SitemapPage[], publicUrl: string): SitemapUrl[] {
  return pages.flatMap((page) => {
    const languages = alternates(DEFAULT_LOCALE, page.path, page.languages).languages as Record<string, string>;
    const links = Object.entries(languages).map(([hreflang, path]) => ({ hreflang, href: siteUrl(publicUrl, path) }));
    const lastmod = page.lastModified?.toISOString() ?? null;
    return page.languages.map((locale) => ({
      loc: siteUrl(publicUrl, localePath(locale, page.path)),
      lastmod,
      alternates: links,
    }));
  });
}

/** The URLs in files of at most `max` each (at least one file, so that the index always names one). */
export function splitSitemap<T>(urls: readonly T[], max: number): T[][] {
  const files: T[][] = [];
  for (let start = 0; start < urls.length; start += max) files.push(urls.slice(start, start + max));
  return files.length > 0 ? files : [[]];
}

/** The address of the `index`th sitemap file. */
export function sitemapFilePath(index: number): string {
  return `/sitemaps/${index}.xml`;
}

/** The file number a `/sitemaps/{file}` segment names ("3.xml" → 3), or null. */
export function sitemapFileIndex(segment: string): number | null {
  const match = /^(0|[1-9]\d{0,5})\.xml$/.exec(segment);
  return match ? Number(match[1]) : null;
}

export function urlsetXml(urls: readonly SitemapUrl[]): string {
  const entries = urls.map((url) => {
    const lines = [`<loc>${escapeXml(url.loc)}</loc>`];
    if (url.lastmod) lines.push(`<lastmod>${escapeXml(url.lastmod)}</lastmod>`);
    for (const link of url.alternates) {
      lines.push(`<xhtml:link rel="alternate" hreflang="${escapeXml(link.hreflang)}" href="${escapeXml(link.href)}"/>`);
    }
    return `<url>${lines.join("")}</url>`;
  });
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">`,
    ...entries,
    `</urlset>`,
    "",
  ].join("\n");
}

/** The index: each file's address, and its newest lastmod so that a crawler re-reads only files that changed. */
export function sitemapIndexXml(files: readonly SitemapUrl[][], publicUrl: string): string {
  const entries = files.map((urls, index) => {
    const newest = urls.reduce<string | null>(
      (max, u) => (u.lastmod && (!max || u.lastmod > max) ? u.lastmod : max),
      null,
    );
    const lastmod = newest ? `<lastmod>${escapeXml(newest)}</lastmod>` : "";
    return `<sitemap><loc>${escapeXml(siteUrl(publicUrl, sitemapFilePath(index)))}</loc>${lastmod}</sitemap>`;
  });
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`,
    ...entries,
    `</sitemapindex>`,
    "",
  ].join("\n");
}

const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}
