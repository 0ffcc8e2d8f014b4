import { describe, expect, it } from "vitest";
import { LOCALES } from "@/lib/i18n/locales";
import { loadMessages } from "@/lib/i18n/messages";
import { ogFontCanDraw, ogImagePath, ogLocale, socialMetadata } from "./social";

describe("social cards", () => {
  it("name the page, its absolute URL, its language and its image", () => {
    const card = socialMetadata({
      locale: "pt-br",
      publicUrl: "https://numbox.example/",
      canonical: "/pt-br/numbers/998940373339",
      title: "+998 94 037 33 39",
      description: "d",
      image: { kind: "number", digits: "998940373339" },
      imageAlt: "alt",
    });
    expect(card.openGraph).toMatchObject({
      url: "https://numbox.example/pt-br/numbers/998940373339",
      locale: "pt_BR",
      images: [{ url: "https://numbox.example/og/pt-br/numbers/998940373339", width: 1200, height: 630 }],
    });
    expect(card.twitter).toMatchObject({ card: "summary_large_image" });
  });

  it("has an OpenGraph locale for every language, in language_TERRITORY form", () => {
    for (const locale of LOCALES) expect(ogLocale(locale)).toMatch(/^[a-z]{2}_[A-Z]{2}$/);
  });

  it("addresses the images of the site, a country and a number", () => {
    expect(ogImagePath("en", { kind: "site" })).toBe("/og/en");
    expect(ogImagePath("ru", { kind: "country", code: "UZ" })).toBe("/og/ru/countries/uz");
  });

  it("knows which scripts the card font draws", () => {
    expect(ogFontCanDraw("Receba SMS online")).toBe(true);
    expect(ogFontCanDraw("Принимайте SMS онлайн")).toBe(true);
    expect(ogFontCanDraw("SMS’leri çevrimiçi alın")).toBe(true);
    expect(ogFontCanDraw("在线接收短信")).toBe(false);
    expect(ogFontCanDraw("استقبل الرسائل")).toBe(false);
    expect(ogFontCanDraw("ऑनलाइन SMS")).toBe(false);
  });

  it("draws the card line of every Latin and Cyrillic language in that language", async () => {
    for (const locale of ["en", "ru", "es", "pt-br", "id", "tr", "uz"] as const) {
      expect(ogFontCanDraw((await loadMessages(locale)).Og.tagline), locale).toBe(true);
    }
  });
});
