import { XMLParser } from "fast-xml-parser";
import { parse, type DefaultTreeAdapterMap } from "parse5";
import { test, expect, type Numbox } from "./fixtures";
import { ownDatabase, startServer, type TestServer } from "./servers";

/**
 * What search engines and link previews read: robots.txt, the sitemap (an index of files, parsed with a real XML
 * parser), one address per page (308s), canonical and hreflang links, OpenGraph and Twitter cards whose images
 * are PNGs, `noindex` on thin pages, and JSON-LD that parses (read with parse5, the HTML parser a browser's
 * spec describes, so a "</script>" that slipped through would show up as a broken script here).
 */
const LOCALES = ["en", "ru", "es", "pt-br", "zh", "ar", "hi", "id", "tr", "uz"];
const HREFLANGS = ["en", "ru", "es", "pt-BR", "zh-Hans", "ar", "hi", "id", "tr", "uz", "x-default"];
const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  isArray: (name) => ["url", "sitemap", "xhtml:link"].includes(name),
});

type Element = DefaultTreeAdapterMap["element"];
type Node = DefaultTreeAdapterMap["node"];

/** A page's head as a crawler reads it. */
function readPage(html: string) {
  const elements: Element[] = [];
  const walk = (node: Node) => {
    if ("tagName" in node) elements.push(node);
    const children = "content" in node ? node.content.childNodes : "childNodes" in node ? node.childNodes : [];
    for (const child of children) walk(child as Node);
  };
  walk(parse(html) as unknown as Node);
  const attr = (el: Element, name: string) => el.attrs.find((a) => a.name === name)?.value;
  const text = (el: Element) => el.childNodes.map((c) => ("value" in c ? c.value : "")).join("");
  return {
    meta: (key: string) => {
      const found = elements.find(
        (el) => el.tagName === "meta" && (attr(el, "property") === key || attr(el, "name") === key),
      );
      return found && attr(found, "content");
    },
    link: (rel: string, hreflang?: string) =>
      elements
        .filter((el) => el.tagName === "link" && attr(el, "rel") === rel && attr(el, "hreflang") === hreflang)
        .map((el) => attr(el, "href")),
    hreflangs: () =>
      elements
        .filter((el) => el.tagName === "link" && attr(el, "rel") === "alternate" && attr(el, "hreflang"))
        .map((el) => attr(el, "hreflang")),
    jsonLd: () =>
      elements
        .filter((el) => el.tagName === "script" && attr(el, "type") === "application/ld+json")
        .map((el) => ({ raw: text(el), nonce: attr(el, "nonce") })),
    scripts: () => elements.filter((el) => el.tagName === "script").length,
    texts: (tag: string) => elements.filter((el) => el.tagName === tag).map(text),
  };
}

type UrlEntry = { loc: string; lastmod?: string; "xhtml:link"?: { rel: string; hreflang: string; href: string }[] };

/** Every <url> of the sitemap: the index, then each file it names. */
async function readSitemap(base: string): Promise<{ files: string[]; urls: UrlEntry[] }> {
  const index = await fetch(`${base}/sitemap.xml`);
  expect(index.status).toBe(200);
  expect(index.headers.get("content-type")).toContain("application/xml");
  const parsed = xml.parse(await index.text()) as { sitemapindex: { sitemap: { loc: string }[] } };
  const files = parsed.sitemapindex.sitemap.map((s) => s.loc);
  const urls: UrlEntry[] = [];
  for (const file of files) {
    expect(file.startsWith(`${base}/sitemaps/`), file).toBe(true);
    const response = await fetch(file);
    expect(response.status, file).toBe(200);
    urls.push(...(xml.parse(await response.text()) as { urlset: { url?: UrlEntry[] } }).urlset.url!);
  }
  return { files, urls };
}

async function numberWithMessage(numbox: Numbox, text = "Your code is 482913") {
  const made = await numbox.gatewayWithNumber();
  const sent = await numbox.inbound(made.gateway, made.key, { to: made.number, from: "Acme", text });
  expect(sent.status).toBe(200);
  return made;
}

async function lastMessageAt(numbox: Numbox, digits: string): Promise<string> {
  const list = (await (await numbox.get(`/api/v1/numbers?country=UZ`)).json()) as {
    number: string;
    lastMessageAt: string;
  }[];
  return list.find((n) => n.number === `+${digits}`)!.lastMessageAt;
}

test.describe("robots.txt and the sitemap", () => {
  test("robots.txt names the sitemap on PUBLIC_URL and keeps crawlers out of the API and admin", async ({ numbox }) => {
    const response = await numbox.get("/robots.txt");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const body = await response.text();
    expect(body).toMatch(/^User-Agent: \*$/m);
    expect(body).toMatch(/^Disallow: \/api\/$/m);
    expect(body).toMatch(/^Disallow: \/admin$/m);
    expect(body).toContain(`Sitemap: ${numbox.url}/sitemap.xml`);
  });

  test("lists an inbox with messages in every language, dated by its last message; not empty or retired ones", async ({
    numbox,
  }) => {
    const live = await numberWithMessage(numbox);
    const empty = await numbox.gatewayWithNumber();
    const retired = await numberWithMessage(numbox);
    const patched = await numbox.admin(`/numbers/${retired.digits}`, { method: "PATCH", body: { status: "retired" } });
    expect(patched.status).toBe(200);

    const { urls } = await readSitemap(numbox.url);
    const byLoc = new Map(urls.map((u) => [u.loc, u]));
    const lastmod = new Date(await lastMessageAt(numbox, live.digits)).toISOString();
    for (const locale of LOCALES) {
      const loc = `${numbox.url}${locale === "en" ? "" : `/${locale}`}/numbers/${live.digits}`;
      const entry = byLoc.get(loc);
      expect(entry, loc).toBeDefined();
      expect(new Date(entry!.lastmod!).toISOString()).toBe(lastmod);
      expect(entry!["xhtml:link"]!.map((l) => l.hreflang).sort()).toEqual([...HREFLANGS].sort());
      expect(entry!["xhtml:link"]).toContainEqual({
        rel: "alternate",
        hreflang: "x-default",
        href: `${numbox.url}/numbers/${live.digits}`,
      });
    }
    for (const path of [`/countries/uz`, `/ru/countries/uz`, "/", "/ar", "/docs/gateways"]) {
      expect(byLoc.has(`${numbox.url}${path === "/" ? "/" : path}`), path).toBe(true);
    }
    const listed = urls.map((u) => u.loc).join("\n");
    expect(listed).not.toContain(empty.digits);
    expect(listed).not.toContain(retired.digits);
  });

  test("is split into files of SITEMAP_MAX_URLS, each named by the index", async ({}, testInfo) => {
    test.setTimeout(120_000);
    const database = await ownDatabase(testInfo.project.metadata.server as "pglite" | "postgres");
    let server: TestServer | undefined;
    try {
      server = await startServer("sitemap-split", {
        ...database.env,
        SITEMAP_MAX_URLS: "4",
        ADMIN_TOKEN: "split-token",
      });
      const { url } = server;
      const own = new (await import("./fixtures")).Numbox(url, "split-token");
      const live = await numberWithMessage(own);
      const { files, urls } = await readSitemap(url);
      // Home and the country in 10 languages, the two docs once each, the inbox in 10: 32 URLs in files of 4.
      expect(urls).toHaveLength(32);
      expect(files).toHaveLength(8);
      for (const [i, file] of files.entries()) expect(file).toBe(`${url}/sitemaps/${i}.xml`);
      expect(urls.filter((u) => u.loc.endsWith(`/numbers/${live.digits}`))).toHaveLength(10);
      const past = await fetch(`${url}/sitemaps/8.xml`);
      expect(past.status).toBe(404);
      expect(await past.json()).toMatchObject({ error: "not_found" });
      expect((await fetch(`${url}/sitemaps/first.xml`)).status).toBe(404);
    } finally {
      await server?.stop();
      await database.drop();
    }
  });
});

test.describe("one address per page", () => {
  const redirects = (digits: string): [string, string][] => [
    ["/countries/UZ", "/countries/uz"],
    ["/ru/countries/UZ?ref=x", "/ru/countries/uz?ref=x"],
    [`/numbers/%2B${digits}`, `/numbers/${digits}`],
    [`/numbers/+${digits}`, `/numbers/${digits}`],
    [`/en/numbers/${digits}`, `/numbers/${digits}`],
    ["/en", "/"],
    ["/en/countries/UZ", "/countries/uz"],
    ["/countries/uz/", "/countries/uz"],
    [`/ru/numbers/${digits}/`, `/ru/numbers/${digits}`],
  ];

  test("other spellings of a page move there for good (308), in one hop", async ({ numbox }) => {
    const { digits } = await numberWithMessage(numbox);
    for (const [from, to] of redirects(digits)) {
      const response = await fetch(`${numbox.url}${from}`, { redirect: "manual" });
      expect(response.status, from).toBe(308);
      const location = new URL(response.headers.get("location")!, `${numbox.url}${from}`);
      expect(location.origin, from).toBe(numbox.url);
      expect(location.pathname + location.search, from).toBe(to);
      const landed = await fetch(location);
      expect(landed.status, to).toBe(200);
    }
  });
});

test.describe("what a page tells search engines and link previews", () => {
  test("every page type has absolute canonical and OpenGraph URLs, Twitter cards and a PNG image", async ({
    numbox,
  }) => {
    const { digits } = await numberWithMessage(numbox);
    const pages = ["/", "/countries/uz", `/numbers/${digits}`, "/docs/gateways", "/ru", `/ar/numbers/${digits}`];
    for (const path of pages) {
      const response = await numbox.get(path);
      expect(response.status, path).toBe(200);
      const page = readPage(await response.text());
      const canonical = page.link("canonical");
      expect(canonical, path).toHaveLength(1);
      expect(page.meta("og:url"), path).toBe(canonical[0]);
      // Absolute, on PUBLIC_URL (the test server's own address); the home page's is the bare origin.
      expect(new URL(canonical[0]!).origin, path).toBe(numbox.url);
      expect(page.meta("og:title"), path).toBeTruthy();
      expect(page.meta("og:description"), path).toBeTruthy();
      expect(page.meta("og:locale"), path).toMatch(/^[a-z]{2}_[A-Z]{2}$/);
      expect(page.meta("twitter:card"), path).toBe("summary_large_image");
      const image = page.meta("og:image")!;
      expect(image.startsWith(`${numbox.url}/og/`), path).toBe(true);
      expect(page.meta("twitter:image"), path).toBe(image);
      expect(page.meta("robots"), path).toBeUndefined();

      const png = await fetch(image);
      expect(png.status, image).toBe(200);
      expect(png.headers.get("content-type")).toBe("image/png");
      expect(png.headers.get("cache-control")).toBe("public, max-age=86400");
      const bytes = new Uint8Array(await png.arrayBuffer());
      expect([...bytes.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    }
  });

  test("a Russian inbox names itself canonical, every language as alternate, and its card in Russian", async ({
    numbox,
  }) => {
    const { digits } = await numberWithMessage(numbox);
    const page = readPage(await (await numbox.get(`/ru/numbers/${digits}`)).text());
    expect(page.link("canonical")).toEqual([`${numbox.url}/ru/numbers/${digits}`]);
    expect(page.hreflangs().sort()).toEqual([...HREFLANGS].sort());
    expect(page.link("alternate", "x-default")).toEqual([`${numbox.url}/numbers/${digits}`]);
    expect(page.meta("og:locale")).toBe("ru_RU");
    expect(page.meta("og:image")).toBe(`${numbox.url}/og/ru/numbers/${digits}`);
  });

  test("card images exist only for our languages, countries and numbers", async ({ numbox }) => {
    for (const path of [
      "/og/xx",
      "/og/en/numbers/998000000001",
      "/og/en/numbers/abc",
      "/og/en/countries/zz",
      "/og/en/countries/UZ",
    ]) {
      const response = await numbox.get(path);
      expect(response.status, path).toBe(404);
      expect(await response.json(), path).toMatchObject({ error: "unknown_card" });
    }
  });

  test("retired numbers and empty inboxes are noindex; an inbox with messages is not", async ({ numbox }) => {
    const empty = await numbox.gatewayWithNumber();
    const retired = await numberWithMessage(numbox);
    expect(
      (await numbox.admin(`/numbers/${retired.digits}`, { method: "PATCH", body: { status: "retired" } })).status,
    ).toBe(200);
    for (const digits of [empty.digits, retired.digits]) {
      for (const path of [`/numbers/${digits}`, `/tr/numbers/${digits}`]) {
        const response = await numbox.get(path);
        expect(response.status, path).toBe(200);
        expect(readPage(await response.text()).meta("robots"), path).toBe("noindex");
      }
    }
  });
});

test.describe("JSON-LD", () => {
  type Ld = { "@type": string; [key: string]: unknown };
  type Faq = Ld & { mainEntity: { name: string; acceptedAnswer: { text: string } }[] };
  const ldOf = async (numbox: Numbox, path: string) => {
    const response = await numbox.get(path);
    const nonce = /'nonce-([^']+)'/.exec(response.headers.get("content-security-policy") ?? "")?.[1];
    const scripts = readPage(await response.text()).jsonLd();
    for (const script of scripts) {
      // Nothing in it can end the element or open a comment, whatever text it carries.
      expect(script.raw).not.toContain("<");
      expect(script.nonce).toBe(nonce);
    }
    return scripts.map((s) => JSON.parse(s.raw) as Ld);
  };

  test("the home page is a WebSite with a FAQ, which the page also shows", async ({ numbox }) => {
    const ld = await ldOf(numbox, "/");
    expect(ld.map((d) => d["@type"]).sort()).toEqual(["FAQPage", "WebSite"]);
    expect(ld.find((d) => d["@type"] === "WebSite")).toMatchObject({ url: `${numbox.url}/`, inLanguage: "en" });
    const faq = ld.find((d) => d["@type"] === "FAQPage") as Faq;
    expect(faq.mainEntity).toHaveLength(3);
    const shown = readPage(await (await numbox.get("/")).text()).texts("h3");
    for (const entry of faq.mainEntity) expect(shown).toContain(entry.name);
    // How long messages stay is the server's RETENTION_DAYS (7 by default).
    expect(faq.mainEntity[2]!.acceptedAnswer.text).toContain("7 days");

    const spanish = (await ldOf(numbox, "/es")).find((d) => d["@type"] === "FAQPage") as Faq;
    expect(spanish.mainEntity[1]!.name).toBe("¿Los mensajes son privados?");
  });

  test("country and inbox pages carry their breadcrumb, with the page's own address last", async ({ numbox }) => {
    const { digits } = await numberWithMessage(numbox);
    const [country] = await ldOf(numbox, "/ru/countries/uz");
    expect(country).toMatchObject({
      "@type": "BreadcrumbList",
      itemListElement: [
        { position: 1, name: "Numbox", item: `${numbox.url}/ru` },
        { position: 2, name: "Узбекистан", item: `${numbox.url}/ru/countries/uz` },
      ],
    });
    const [inbox] = await ldOf(numbox, `/numbers/${digits}`);
    expect(inbox).toMatchObject({ "@type": "BreadcrumbList" });
    const steps = inbox!.itemListElement as { position: number; item: string }[];
    expect(steps.map((s) => s.item)).toEqual([
      `${numbox.url}/`,
      `${numbox.url}/countries/uz`,
      `${numbox.url}/numbers/${digits}`,
    ]);
  });

  test("a message that tries to close the script leaves every JSON-LD script whole", async ({ numbox }) => {
    const hostile = `</script><script>alert(1)</script><!-- 123456`;
    const { gateway, key, number, digits } = await numbox.gatewayWithNumber();
    expect((await numbox.inbound(gateway, key, { to: number, from: "</script>", text: hostile })).status).toBe(200);
    const ld = await ldOf(numbox, `/numbers/${digits}`);
    expect(ld.map((d) => d["@type"])).toEqual(["BreadcrumbList"]);
  });
});
