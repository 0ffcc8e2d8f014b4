import { defineRouting } from "next-intl/routing";
import { DEFAULT_LOCALE, LOCALES } from "./locales";

/**
 * next-intl's routing: English at today's URLs, every other language under its prefix (`/ru/…`).
 *
 * Nothing is chosen for the visitor: no redirect from Accept-Language or a cookie (`localeDetection: false`,
 * no locale cookie). A crawler and a visitor asking for the same URL get the same language, so what a search
 * engine indexes is what the searcher sees, and every page stays one cacheable answer per URL (a Set-Cookie or
 * a Vary: Accept-Language would make it one per visitor). A visitor whose browser prefers another language is
 * offered it instead (components/LanguageSuggestion.tsx).
 *
 * No `Link` response header either: the pages name their alternates in their <head> (lib/i18n/alternates.ts),
 * from PUBLIC_URL, where the middleware would build them from the Host header of whoever asked first.
 */
export const routing = defineRouting({
  locales: LOCALES,
  defaultLocale: DEFAULT_LOCALE,
  localePrefix: "as-needed",
  localeDetection: false,
  localeCookie: false,
  alternateLinks: false,
});
