import type { Metadata } from "next";
import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { config } from "@/lib/config";
import { DEFAULT_LOCALE, isLocale } from "@/lib/i18n/locales";
import { pageMetadata } from "@/lib/seo/metadata";

/*
 * The operator's and testers' reference pages (/docs/gateways, /docs/api) are written in English only: what they
 * describe (providers' consoles, the API's names and errors) is English whatever the page's language. The site
 * around them follows the visitor's language, so each exists under every prefix, says it is English, and names
 * the English page as canonical without claiming other languages in hreflang.
 */

export async function englishDocMetadata(
  params: Promise<{ locale: string }>,
  page: { path: string; title: string; description: string },
): Promise<Metadata> {
  const { locale } = await params;
  if (!isLocale(locale)) return {};
  const og = await getTranslations({ locale, namespace: "Og" });
  return pageMetadata({
    locale,
    publicUrl: config().PUBLIC_URL,
    written: [DEFAULT_LOCALE],
    image: { kind: "site" },
    imageAlt: og("siteAlt"),
    ...page,
  });
}

const PILL =
  "inline-block rounded-full border border-zinc-200 bg-white px-3 py-1 text-sm text-zinc-700 hover:border-indigo-300 hover:text-indigo-700 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:text-indigo-300";

/**
 * The page itself: the "this page is in English" notice outside English, its title and lead, links to its
 * sections, then the sections. URLs, keys and JSON may break anywhere: unbroken, they make a phone's page wider
 * than its screen.
 */
export function EnglishDoc({
  locale,
  notice,
  title,
  lead,
  nav,
  children,
}: {
  locale: string;
  notice: string;
  title: string;
  lead: ReactNode;
  nav: { label: string; links: { href: string; text: string }[] };
  children: ReactNode;
}) {
  return (
    <>
      {locale !== DEFAULT_LOCALE && (
        <p className="mb-6 rounded-lg border border-zinc-200 bg-white px-3.5 py-2.5 text-sm text-zinc-600 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400">
          {notice}
        </p>
      )}
      <article lang="en" dir="ltr" className="pb-8 [overflow-wrap:anywhere]">
        <h1 className="text-3xl font-bold tracking-tight text-zinc-900 sm:text-4xl dark:text-zinc-50">{title}</h1>
        {lead}
        <nav aria-label={nav.label} className="mt-6">
          <ul className="flex flex-wrap gap-2">
            {nav.links.map((link) => (
              <li key={link.href}>
                <a href={link.href} className={PILL}>
                  {link.text}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {children}
      </article>
    </>
  );
}
