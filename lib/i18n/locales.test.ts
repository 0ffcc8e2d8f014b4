import { describe, expect, it } from "vitest";
import { LOCALES, LOCALE_INFO, localePath, pageOf } from "./locales";

describe("the languages' addresses", () => {
  it("keep English at today's URLs and put every other language under its prefix", () => {
    expect(localePath("en", "/numbers/1")).toBe("/numbers/1");
    expect(localePath("ru", "/numbers/1")).toBe("/ru/numbers/1");
    expect(localePath("pt-br", "/")).toBe("/pt-br");
  });

  it("tell a request path's language and page, and refuse the English prefix (only ever a redirect)", () => {
    expect(pageOf("/")).toEqual({ locale: "en", path: "/" });
    expect(pageOf("/numbers/1")).toEqual({ locale: "en", path: "/numbers/1" });
    expect(pageOf("/ru")).toEqual({ locale: "ru", path: "/" });
    expect(pageOf("/ar/countries/uz")).toEqual({ locale: "ar", path: "/countries/uz" });
    expect(pageOf("/en/numbers/1")).toBeNull();
    expect(pageOf("/RU/numbers/1")).toEqual({ locale: "en", path: "/RU/numbers/1" });
    for (const locale of LOCALES)
      expect(pageOf(localePath(locale, "/numbers/1"))).toEqual({ locale, path: "/numbers/1" });
  });

  it("are lower case and carry a valid language tag and direction", () => {
    for (const locale of LOCALES) {
      expect(locale).toBe(locale.toLowerCase());
      expect(Intl.getCanonicalLocales(LOCALE_INFO[locale].tag)).toEqual([LOCALE_INFO[locale].tag]);
      expect(LOCALE_INFO[locale].dir).toBe(locale === "ar" ? "rtl" : "ltr");
    }
  });
});
