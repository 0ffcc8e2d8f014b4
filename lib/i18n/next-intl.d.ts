import type { Locale as NumboxLocale } from "./locales";
import type { Messages as NumboxMessages } from "./messages";

// Tells next-intl our locales and messages: useLocale() returns a Locale, and a key that en.json lacks is a
// type error in t("…"), not a blank on a page.
declare module "next-intl" {
  interface AppConfig {
    Locale: NumboxLocale;
    Messages: NumboxMessages;
  }
}
