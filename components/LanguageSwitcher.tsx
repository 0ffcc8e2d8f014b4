"use client";

import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { useEffect, useRef } from "react";
import { LOCALES, LOCALE_INFO, localePath } from "@/lib/i18n/locales";
import { usePathname } from "@/lib/i18n/navigation";
import { GlobeIcon } from "./icons";
import { settleLanguage } from "./languageChoice";

/**
 * The language menu: a native disclosure of plain links to this same page in each language, so it works from
 * the keyboard, with a screen reader and without any script (the script only closes it on Escape or a click
 * elsewhere). Each name is written in its own language and marked so (lang, hreflang), aligned with the page.
 * The links are the pages' own addresses (lib/i18n/locales.ts), English's unprefixed: next-intl's Link would
 * write "/en/…" for a switch to English, a redirect away from the real URL, there to update a locale cookie we
 * do not keep. Links are not prefetched: ten prefetches per page view would spend a visitor's page budget on
 * pages they will not open.
 */
export function LanguageSwitcher() {
  const t = useTranslations("LanguageSwitcher");
  const locale = useLocale();
  const pathname = usePathname();
  const menu = useRef<HTMLDetailsElement>(null);

  useEffect(() => {
    const close = (event: Event) => {
      const details = menu.current;
      if (details?.open && event.target instanceof Node && !details.contains(event.target)) details.open = false;
    };
    const escape = (event: KeyboardEvent) => {
      const details = menu.current;
      if (event.key !== "Escape" || !details?.open) return;
      details.open = false;
      details.querySelector("summary")?.focus();
    };
    document.addEventListener("click", close);
    document.addEventListener("keydown", escape);
    return () => {
      document.removeEventListener("click", close);
      document.removeEventListener("keydown", escape);
    };
  }, []);

  return (
    <nav aria-label={t("label")}>
      <details ref={menu} className="group relative">
        <summary
          data-testid="language-switcher"
          className="inline-flex cursor-pointer list-none items-center gap-1.5 rounded-lg border border-zinc-200 bg-white px-2.5 py-1.5 text-sm font-medium text-zinc-700 shadow-sm hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800 [&::-webkit-details-marker]:hidden"
        >
          <GlobeIcon className="size-4 text-zinc-500 dark:text-zinc-400" />
          <span className="sr-only">{t("label")}: </span>
          <span>{LOCALE_INFO[locale].name}</span>
        </summary>
        <ul className="absolute end-0 z-20 mt-2 w-56 rounded-xl border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
          {LOCALES.map((other) => {
            const info = LOCALE_INFO[other];
            const current = other === locale;
            return (
              <li key={other}>
                <Link
                  href={localePath(other, pathname)}
                  prefetch={false}
                  hrefLang={info.tag}
                  lang={info.tag}
                  aria-current={current ? "true" : undefined}
                  onClick={() => {
                    settleLanguage();
                    if (menu.current) menu.current.open = false;
                  }}
                  className={`block rounded-lg px-3 py-2 text-start text-sm hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:bg-zinc-800 ${
                    current ? "font-semibold text-indigo-700 dark:text-indigo-300" : "text-zinc-700 dark:text-zinc-200"
                  }`}
                >
                  {info.name}
                </Link>
              </li>
            );
          })}
        </ul>
      </details>
    </nav>
  );
}
