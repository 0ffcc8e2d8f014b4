import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config";
import { LOCALES } from "@/lib/i18n/locales";
import { sitemapPagesOf, type NumberFacts } from "./pages";
import { SITEMAP_MAX_URLS, sitemapFileIndex, sitemapIndexXml, sitemapUrls, splitSitemap, urlsetXml } from "./sitemap";

const NOW = new Date("2026-11-30T12:00:00Z");
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" });

const facts: NumberFacts[] = [
  { number: "+998940373339", country: "UZ", status: "active", lastMessageAt: hoursAgo(1) },
  { number: "+998940000002", country: "UZ", status: "paused", lastMessageAt: hoursAgo(5) },
  // Never received anything, or only messages the purge has taken: an empty inbox.
  { number: "+998940000003", country: "UZ", status: "active", lastMessageAt: null },
  { number: "+998940000004", country: "UZ", status: "active", lastMessageAt: hoursAgo(24 * 8) },
  { number: "+919000000001", country: "IN", status: "retired", lastMessageAt: hoursAgo(2) },
  { number: "+5511900000001", country: "BR", status: "active", lastMessageAt: hoursAgo(3) },
];

describe("the sitemap's pages", () => {
  const pages = sitemapPagesOf(facts, NOW, 7);
  const paths = pages.map((p) => p.path);

  it("lists home, the docs, every country in service and every inbox worth indexing", () => {
    expect(paths).toEqual([
      "/",
      "/docs/gateways",
      "/docs/api",
      "/countries/br",
      "/countries/uz",
      "/numbers/5511900000001",
      "/numbers/998940000002",
      "/numbers/998940373339",
    ]);
  });

  it("leaves out retired numbers, their only country, and empty inboxes", () => {
    expect(paths).not.toContain("/numbers/919000000001");
    expect(paths).not.toContain("/countries/in");
    expect(paths).not.toContain("/numbers/998940000003");
    expect(paths).not.toContain("/numbers/998940000004");
  });

  it("lists the services' pages it is given (the catalogue's, received in 7 days), and their list", () => {
    const withServices = sitemapPagesOf(facts, NOW, 7, ["whatsapp", "google"]).map((p) => p.path);
    // After the home page, the docs and the countries; before the inboxes.
    const inboxes = paths.findIndex((p) => p.startsWith("/numbers/"));
    expect(withServices).toEqual([
      ...paths.slice(0, inboxes),
      "/services",
      "/services/google",
      "/services/whatsapp",
      ...paths.slice(inboxes),
    ]);
    expect(paths.filter((p) => p.startsWith("/services"))).toEqual([]);
  });

  it("dates each page by its newest message", () => {
    const lastmod = (path: string) => pages.find((p) => p.path === path)?.lastModified;
    expect(lastmod("/numbers/998940373339")).toEqual(hoursAgo(1));
    expect(lastmod("/countries/uz")).toEqual(hoursAgo(1));
    expect(lastmod("/")).toEqual(hoursAgo(1));
    expect(lastmod("/docs/gateways")).toBeNull();
    expect(lastmod("/docs/api")).toBeNull();
  });
});

describe("the sitemap's XML", () => {
  const pages = sitemapPagesOf(facts, NOW, 7);
  const urls = sitemapUrls(pages, "https://numbox.example/");

  it("lists each translated page in every language, with every language and x-default as alternates", () => {
    const parsed = parser.parse(urlsetXml(urls)) as {
      urlset: { url: { loc: string; lastmod?: string; "xhtml:link": { hreflang: string; href: string }[] }[] };
    };
    const entries = parsed.urlset.url;
    // The two docs are English only; every other page is in every language.
    expect(entries).toHaveLength((pages.length - 2) * LOCALES.length + 2);
    const russian = entries.find((u) => u.loc === "https://numbox.example/ru/numbers/998940373339")!;
    expect(russian.lastmod).toBe(hoursAgo(1).toISOString());
    expect(russian["xhtml:link"]).toHaveLength(LOCALES.length + 1);
    expect(russian["xhtml:link"]).toContainEqual({
      rel: "alternate",
      hreflang: "x-default",
      href: "https://numbox.example/numbers/998940373339",
    });
    expect(russian["xhtml:link"]).toContainEqual({
      rel: "alternate",
      hreflang: "pt-BR",
      href: "https://numbox.example/pt-br/numbers/998940373339",
    });
    const docs = entries.filter((u) => u.loc.includes("/docs/"));
    expect(docs.map((u) => u.loc)).toEqual(["https://numbox.example/docs/gateways", "https://numbox.example/docs/api"]);
  });

  it("splits into files of at most the limit, and indexes them with their newest lastmod", () => {
    const files = splitSitemap(urls, 7);
    expect(files.length).toBe(Math.ceil(urls.length / 7));
    expect(files.every((f) => f.length <= 7)).toBe(true);
    expect(files.flat()).toEqual(urls);
    const index = parser.parse(sitemapIndexXml(files, "https://numbox.example")) as {
      sitemapindex: { sitemap: { loc: string; lastmod?: string }[] };
    };
    expect(index.sitemapindex.sitemap.map((s) => s.loc)).toEqual(
      files.map((_, i) => `https://numbox.example/sitemaps/${i}.xml`),
    );
    expect(index.sitemapindex.sitemap[0]!.lastmod).toBe(hoursAgo(1).toISOString());
  });

  it("always has one file, even with nothing in it", () => {
    expect(splitSitemap([], 10)).toEqual([[]]);
  });

  it("escapes what XML reserves", () => {
    const xml = urlsetXml([{ loc: "https://x.example/?a=1&b=<2>", lastmod: null, alternates: [] }]);
    expect(xml).toContain("<loc>https://x.example/?a=1&amp;b=&lt;2&gt;</loc>");
    expect((parser.parse(xml) as { urlset: { url: { loc: string } } }).urlset.url.loc).toBe(
      "https://x.example/?a=1&b=<2>",
    );
  });

  it("reads a file's number from its name, and nothing else", () => {
    expect(sitemapFileIndex("0.xml")).toBe(0);
    expect(sitemapFileIndex("12.xml")).toBe(12);
    for (const name of ["01.xml", "1", "x.xml", "1.xml.gz", "-1.xml", "1234567.xml"]) {
      expect(sitemapFileIndex(name), name).toBeNull();
    }
  });

  it("has the operator's default, within the protocol's 50,000", () => {
    expect(parseConfig({}).SITEMAP_MAX_URLS).toBe(SITEMAP_MAX_URLS);
    expect(SITEMAP_MAX_URLS).toBeLessThanOrEqual(50_000);
    expect(() => parseConfig({ SITEMAP_MAX_URLS: "50001" })).toThrow("SITEMAP_MAX_URLS");
  });
});
