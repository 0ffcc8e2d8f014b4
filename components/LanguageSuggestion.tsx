"use client";

import Link from "next/link";
import { useLocale } from "next-intl";
import { useSyncExternalStore } from "react";
import type { Locale } from "@/lib/i18n/locales";
import { LOCALE_INFO, localePath } from "@/lib/i18n/locales";
import { usePathname } from "@/lib/i18n/navigation";
import { suggestedLocale } from "@/lib/i18n/suggest";
import { CloseIcon } from "./icons";
import { languageSnapshot, readLanguageSnapshot, settleLanguage, subscribeLanguage } from "./languageChoice";

export type SuggestionTexts = Record<Locale, { text: string; open: string; dismiss: string }>;

/**
 * "This page is also available in Русский", offered — never imposed — to a visitor whose browser prefers another
 * of our languages, written in that language. Decided in the browser from navigator.languages: the server sends
 * everyone the same page (nothing varies on Accept-Language, so a crawler and a visitor see the same URL in the
 * same language, and the page cache keeps one answer per URL). Gone for good once the visitor follows it,
 * dismisses it or picks a language in the switcher.
 */
export function LanguageSuggestion({ texts }: { texts: SuggestionTexts }) {
  const locale = useLocale();
  const pathname = usePathname();
  // null on the server and while hydrating: the HTML never depends on the visitor.
  const snapshot = useSyncExternalStore(subscribeLanguage, languageSnapshot, () => null);
  if (snapshot === null) return null;
  const { settled, languages } = readLanguageSnapshot(snapshot);
  const target = settled ? null : suggestedLocale(languages, locale);
  if (!target) return null;
  const info = LOCALE_INFO[target];
  const say = texts[target];

  return (
    <aside
      lang={info.tag}
      dir={info.dir}
      data-testid="language-suggestion"
      className="border-b border-indigo-100 bg-indigo-50 dark:border-indigo-400/20 dark:bg-indigo-400/10"
    >
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2.5 text-sm sm:px-6">
        <p className="min-w-0 flex-1 text-zinc-800 dark:text-zinc-200">{say.text}</p>
        <div className="flex items-center gap-2">
          <Link
            href={localePath(target, pathname)}
            prefetch={false}
            hrefLang={info.tag}
            onClick={settleLanguage}
            className="rounded-lg bg-indigo-600 px-3 py-1.5 font-medium text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500"
          >
            {say.open}
          </Link>
          <button
            type="button"
            onClick={settleLanguage}
            className="inline-flex items-center gap-1 rounded-lg px-2 py-1.5 text-zinc-600 hover:bg-indigo-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 dark:text-zinc-300 dark:hover:bg-indigo-400/20 dark:hover:text-zinc-50"
          >
            <CloseIcon />
            {say.dismiss}
          </button>
        </div>
      </div>
    </aside>
  );
}
