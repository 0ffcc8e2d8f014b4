import { describe, expect, it } from "vitest";
import { alternates } from "./alternates";
import { LOCALES } from "./locales";

describe("a page's alternates", () => {
  it("name the page in every language, English as x-default, and the page itself as canonical", () => {
    const inRussian = alternates("ru", "/numbers/998940373339");
    expect(inRussian.canonical).toBe("/ru/numbers/998940373339");
    expect(inRussian.languages).toMatchObject({
      en: "/numbers/998940373339",
      ru: "/ru/numbers/998940373339",
      "pt-BR": "/pt-br/numbers/998940373339",
      "zh-Hans": "/zh/numbers/998940373339",
      ar: "/ar/numbers/998940373339",
      "x-default": "/numbers/998940373339",
    });
    expect(Object.keys(inRussian.languages!)).toHaveLength(LOCALES.length + 1);
  });

  it("write the home page of a language without a trailing slash", () => {
    expect(alternates("en", "/").canonical).toBe("/");
    expect(alternates("ar", "/").canonical).toBe("/ar");
    expect(alternates("en", "/").languages).toMatchObject({ en: "/", uz: "/uz", "x-default": "/" });
  });

  it("claim only the languages a page is written in", () => {
    const docs = alternates("ru", "/docs/gateways", ["en"]);
    expect(docs).toEqual({
      canonical: "/docs/gateways",
      languages: { en: "/docs/gateways", "x-default": "/docs/gateways" },
    });
  });
});
