import type { Metadata, Viewport } from "next";
import { notFound } from "next/navigation";
import { NextIntlClientProvider } from "next-intl";
import { getMessages, getTranslations, setRequestLocale } from "next-intl/server";
import type { ReactNode } from "react";
import { LanguageSuggestion } from "@/components/LanguageSuggestion";
import { Providers } from "@/components/Providers";
import { SiteFooter } from "@/components/SiteFooter";
import { SiteHeader } from "@/components/SiteHeader";
import { config } from "@/lib/config";
import { isLocale, LOCALE_INFO } from "@/lib/i18n/locales";
import { clientMessages, languageSuggestions, type Messages } from "@/lib/i18n/messages";
import { socialMetadata } from "@/lib/seo/social";

type Props = { children: ReactNode; params: Promise<{ locale: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  if (!isLocale(locale)) return {};
  const t = await getTranslations({ locale, namespace: "Metadata" });
  const og = await getTranslations({ locale, namespace: "Og" });
  return {
    // Canonical and hreflang links are absolute, on the operator's public address, whatever Host a request names.
    metadataBase: new URL(config().PUBLIC_URL),
    title: { default: t("title"), template: "%s · Numbox" },
    description: t("description"),
    applicationName: "Numbox",
    // The site's card, for pages that have none of their own (a 404); every page replaces it with its own.
    ...socialMetadata({
      locale,
      publicUrl: config().PUBLIC_URL,
      title: t("title"),
      description: t("description"),
      image: { kind: "site" },
      imageAlt: og("siteAlt"),
    }),
  };
}

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#fafafa" },
    { media: "(prefers-color-scheme: dark)", color: "#09090b" },
  ],
};

export default async function LocaleLayout({ children, params }: Props) {
  const { locale } = await params;
  // proxy.ts routes every page into a real locale; anything else reaching here is not a page of ours.
  if (!isLocale(locale)) notFound();
  setRequestLocale(locale);
  const { tag, dir } = LOCALE_INFO[locale];
  const t = await getTranslations("Layout");
  const messages = (await getMessages()) as Messages;

  return (
    <html lang={tag} dir={dir}>
      <body className="flex min-h-dvh flex-col bg-zinc-50 font-sans text-zinc-900 dark:bg-zinc-950 dark:text-zinc-100">
        <NextIntlClientProvider messages={clientMessages(messages)}>
          <a
            href="#main"
            className="sr-only focus:not-sr-only focus:absolute focus:start-4 focus:top-3 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:shadow dark:focus:bg-zinc-900"
          >
            {t("skipToContent")}
          </a>
          <SiteHeader />
          <LanguageSuggestion texts={await languageSuggestions()} />
          <Providers>
            <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 pt-8 sm:px-6 sm:pt-12">
              {children}
            </main>
          </Providers>
          <SiteFooter />
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
