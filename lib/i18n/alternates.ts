import type { Metadata } from "next";
import { DEFAULT_LOCALE, LOCALES, LOCALE_INFO, localePath, type Locale } from "./locales";

/**
 * A page's canonical address and its hreflang alternates, for the Metadata API: `path` is the page's English
 * (unprefixed) path. Every language the page is written in gets its link, and x-default is English, the
 * language of the unprefixed URL a visitor without a match lands on. Paths are made absolute by the layout's
 * metadataBase (PUBLIC_URL). A page written in fewer languages (`written`) claims only those, and its other
 * languages' copies name the English page as canonical: their chrome is translated, their content is not.
 */
export function alternates(
  locale: Locale,
  path: string,
  written: readonly Locale[] = LOCALES,
): NonNullable<Metadata["alternates"]> {
  const languages: Record<string, string> = {};
  for (const language of written) languages[LOCALE_INFO[language].tag] = localePath(language, path);
  languages["x-default"] = localePath(DEFAULT_LOCALE, path);
  return {
    canonical: localePath(written.includes(locale) ? locale : DEFAULT_LOCALE, path),
    languages,
  };
}
