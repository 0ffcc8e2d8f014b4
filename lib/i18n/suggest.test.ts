import { describe, expect, it } from "vitest";
import { preferredLocale, suggestedLocale } from "./suggest";

describe("the language a browser prefers", () => {
  it.each([
    [["ru-RU", "en"], "ru"],
    [["fr-FR", "es-MX", "en"], "es"],
    [["pt-PT"], "pt-br"],
    [["pt-BR"], "pt-br"],
    [["zh-CN"], "zh"],
    [["zh"], "zh"],
    [["zh-SG"], "zh"],
    [["zh-TW", "en-US"], "en"],
    [["zh-Hant-HK"], null],
    [["ar-EG"], "ar"],
    [["uz-Latn-UZ"], "uz"],
    [["in"], "id"], // the old code for Indonesian, which Intl still knows
    [["tr"], "tr"],
    [["hi-IN"], "hi"],
    [["de-DE", "fr"], null],
    [["not a tag", "ru"], "ru"],
    [[], null],
  ])("%j → %s", (languages, expected) => {
    expect(preferredLocale(languages)).toBe(expected);
  });

  it("is suggested only when it is not the page's language", () => {
    expect(suggestedLocale(["ru-RU", "en"], "en")).toBe("ru");
    expect(suggestedLocale(["ru-RU", "en"], "ru")).toBeNull();
    expect(suggestedLocale(["en-US", "ru"], "en")).toBeNull();
    expect(suggestedLocale(["en-GB"], "ar")).toBe("en");
    expect(suggestedLocale(["de"], "ru")).toBeNull();
  });
});
