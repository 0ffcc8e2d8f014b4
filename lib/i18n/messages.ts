import { LOCALES, type Locale } from "./locales";
import type en from "./messages/en.json";

/** A locale's messages: the same keys as English (lib/i18n/messages.test.ts checks every file). */
export type Messages = typeof en;

/** The locale's messages, loaded when first asked for: a page needs its own language only. */
export async function loadMessages(locale: Locale): Promise<Messages> {
  return ((await import(`./messages/${locale}.json`)) as { default: Messages }).default;
}

/**
 * The namespaces client components use: only these travel to the browser with every page (the rest are rendered
 * on the server). A client component that uses another namespace must add it here.
 */
export const CLIENT_NAMESPACES = [
  "Copy",
  "Inbox",
  "Live",
  "Alerts",
  "Message",
  // The number a message on a service page went to (components/MessageResults.tsx).
  "ServiceMessage",
  "Time",
  "Report",
  "Error",
  "LanguageSwitcher",
] as const;

export function clientMessages(messages: Messages): Pick<Messages, (typeof CLIENT_NAMESPACES)[number]> {
  return Object.fromEntries(CLIENT_NAMESPACES.map((name) => [name, messages[name]])) as Pick<
    Messages,
    (typeof CLIENT_NAMESPACES)[number]
  >;
}

/** Every language's offer of itself ("Эта страница есть и на русском"): the suggestion is written in the language it offers. */
export async function languageSuggestions(): Promise<Record<Locale, Messages["LanguageSuggestion"]>> {
  const all = await Promise.all(
    LOCALES.map(async (locale) => [locale, (await loadMessages(locale)).LanguageSuggestion]),
  );
  return Object.fromEntries(all) as Record<Locale, Messages["LanguageSuggestion"]>;
}
