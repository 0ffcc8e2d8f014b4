import { getRequestConfig } from "next-intl/server";
import { DEFAULT_LOCALE, isLocale, type Locale } from "./locales";
import { loadMessages } from "./messages";

/**
 * The messages and settings of the request's language (next.config.ts names this file to next-intl's plugin).
 * The locale comes from the `[locale]` segment; anything else (a value the segment caught that is no locale)
 * falls back to English.
 */
export default getRequestConfig(async ({ requestLocale }) => {
  const requested = await requestLocale;
  const locale: Locale = isLocale(requested) ? requested : DEFAULT_LOCALE;
  return {
    locale,
    messages: await loadMessages(locale),
    // Dates and times are formatted by our own components (components/time.ts), in the visitor's zone once the
    // page runs in the browser; next-intl's formatter is only told a zone so that it never guesses the server's.
    timeZone: "UTC",
  };
});
