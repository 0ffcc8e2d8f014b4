/**
 * The site's languages: one list that routing (lib/i18n/routing.ts), the language switcher, the hreflang
 * alternates, the page cache and the language suggestion all read. Framework-free, so tests and the cache can
 * use it without Next.
 *
 * A locale's code is also its URL segment (`/ru/numbers/…`): lower case, because URLs are case-sensitive and a
 * language should have exactly one address. Brazilian Portuguese is `pt-br`, not `pt`: it says which Portuguese
 * it is, and leaves `/pt-pt` free should European Portuguese come, without renaming URLs search engines know.
 * `tag` is the BCP 47 language tag for `<html lang>`, hreflang and Intl.
 */
export const LOCALES = ["en", "ru", "es", "pt-br", "zh", "ar", "hi", "id", "tr", "uz"] as const;

export type Locale = (typeof LOCALES)[number];

/** English keeps today's URLs, without a prefix. */
export const DEFAULT_LOCALE: Locale = "en";

export type LocaleInfo = {
  /** BCP 47 tag: what `<html lang>`, hreflang and Intl are given. */
  tag: string;
  /** The language's name in itself, as the switcher shows it. */
  name: string;
  dir: "ltr" | "rtl";
};

export const LOCALE_INFO: Record<Locale, LocaleInfo> = {
  en: { tag: "en", name: "English", dir: "ltr" },
  ru: { tag: "ru", name: "Русский", dir: "ltr" },
  es: { tag: "es", name: "Español", dir: "ltr" },
  "pt-br": { tag: "pt-BR", name: "Português (Brasil)", dir: "ltr" },
  // Simplified Chinese, said by its script: zh-Hans is read in mainland China and Singapore alike.
  zh: { tag: "zh-Hans", name: "简体中文", dir: "ltr" },
  ar: { tag: "ar", name: "العربية", dir: "rtl" },
  hi: { tag: "hi", name: "हिन्दी", dir: "ltr" },
  id: { tag: "id", name: "Bahasa Indonesia", dir: "ltr" },
  tr: { tag: "tr", name: "Türkçe", dir: "ltr" },
  // Latin script, which CLDR takes as Uzbek's default: "uz" needs no script subtag.
  uz: { tag: "uz", name: "Oʻzbekcha", dir: "ltr" },
};

export function isLocale(value: string | undefined): value is Locale {
  return (LOCALES as readonly string[]).includes(value ?? "");
}

/** The address of `path` (an English, unprefixed path such as "/numbers/1") in `locale`: "/ru/numbers/1". */
export function localePath(locale: Locale, path: string): string {
  if (locale === DEFAULT_LOCALE) return path;
  return path === "/" ? `/${locale}` : `/${locale}${path}`;
}

/**
 * The inverse of `localePath`: which locale a request path is in and the page it shows ("/ru/numbers/1" →
 * ru, "/numbers/1"). Null for "/en/…": English has no prefix, so that path is only ever a redirect.
 */
export function pageOf(pathname: string): { locale: Locale; path: string } | null {
  const [, first = "", ...rest] = pathname.split("/");
  if (first === DEFAULT_LOCALE) return null;
  if (isLocale(first)) return { locale: first, path: `/${rest.join("/")}` };
  return { locale: DEFAULT_LOCALE, path: pathname };
}
