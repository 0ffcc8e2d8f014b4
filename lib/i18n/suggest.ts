import { LOCALES, LOCALE_INFO, type Locale } from "./locales";

/**
 * Which of our languages a browser's preferences (navigator.languages, best first) point to, if any: the first
 * preference we have. A whole language matches whatever its region ("es-MX" → es, "pt-PT" → pt-br: closer than
 * English for a Portuguese reader). Chinese matches only in Simplified script: a Traditional reader (zh-TW,
 * zh-HK, zh-Hant) is not steered to the Simplified pages.
 */
export function preferredLocale(languages: readonly string[]): Locale | null {
  for (const language of languages) {
    const locale = localeOf(language);
    if (locale) return locale;
  }
  return null;
}

/** The language to suggest on a page in `pageLocale`: the browser's preferred one of ours, when it differs. */
export function suggestedLocale(languages: readonly string[], pageLocale: Locale): Locale | null {
  const preferred = preferredLocale(languages);
  return preferred !== pageLocale ? preferred : null;
}

function localeOf(tag: string): Locale | null {
  let wanted: Intl.Locale;
  try {
    wanted = new Intl.Locale(tag).maximize();
  } catch {
    return null; // not a language tag
  }
  for (const locale of LOCALES) {
    const ours = new Intl.Locale(LOCALE_INFO[locale].tag).maximize();
    if (ours.language !== wanted.language) continue;
    if (ours.language === "zh" && ours.script !== wanted.script) continue;
    return locale;
  }
  return null;
}
