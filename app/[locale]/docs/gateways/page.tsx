import type { Metadata } from "next";
import { connection } from "next/server";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { GatewayGuide } from "@/components/GatewayGuide";
import { InlineCode } from "@/components/InlineCode";
import { config } from "@/lib/config";
import { alternates } from "@/lib/i18n/alternates";
import { DEFAULT_LOCALE, isLocale } from "@/lib/i18n/locales";
import { ADAPTERS } from "@/lib/ingest/adapters";

type Props = { params: Promise<{ locale: string }> };

/**
 * The operator's guide to gateways. Written in English only (it is rendered from the adapters' own setup text,
 * and the people who run modems and provider accounts read the providers' English consoles anyway); the site
 * around it follows the visitor's language, so it exists under every prefix, says it is English, and names
 * the English page as canonical without claiming other languages in hreflang.
 */
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  return {
    title: "Connect a gateway",
    description: "How to send inbound SMS to Numbox from SMS providers, Android phones and GSM modems.",
    alternates: isLocale(locale) ? alternates(locale, "/docs/gateways", [DEFAULT_LOCALE]) : undefined,
  };
}

export default async function GatewaysPage({ params }: Props) {
  const { locale } = await params;
  if (isLocale(locale)) setRequestLocale(locale);
  // PUBLIC_URL is the operator's runtime setting: the URLs on this page must be the ones providers will call.
  await connection();
  const t = await getTranslations("Docs");
  const publicUrl = config().PUBLIC_URL.replace(/\/+$/, "");
  const adapters = Object.values(ADAPTERS).filter((a) => a !== undefined);

  // URLs, keys and JSON in the steps may break anywhere: unbroken, they make a phone's page wider than its screen.
  return (
    <>
      {locale !== DEFAULT_LOCALE && (
        <p className="mb-6 rounded-lg border border-zinc-200 bg-white px-3.5 py-2.5 text-sm text-zinc-600 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400">
          {t("englishOnly")}
        </p>
      )}
      <article lang="en" dir="ltr" className="pb-8 [overflow-wrap:anywhere]">
        <h1 className="text-3xl font-bold tracking-tight text-zinc-900 sm:text-4xl dark:text-zinc-50">
          Connect a gateway
        </h1>
        <p className="mt-3 max-w-3xl text-lg text-zinc-600 dark:text-zinc-400">
          A gateway is where inbound SMS come from: an SMS provider account, an Android phone, or a GSM modem host. Each
          one posts to its own URL, <InlineCode text={`\`${publicUrl}/api/inbound/<gateway id>\``} />, in its native
          format; Numbox checks where the request came from, stores each message exactly once and answers the way that
          source expects. Creating gateways needs the operator&apos;s <InlineCode text="`ADMIN_TOKEN`" />.
        </p>

        <nav aria-label="Gateway kinds" className="mt-6">
          <ul className="flex flex-wrap gap-2">
            {adapters.map((a) => (
              <li key={a.kind}>
                <a
                  href={`#${a.kind}`}
                  className="inline-block rounded-full border border-zinc-200 bg-white px-3 py-1 text-sm text-zinc-700 hover:border-indigo-300 hover:text-indigo-700 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:text-indigo-300"
                >
                  {a.setup.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>

        <div className="mt-8">
          {adapters.map((adapter) => (
            <GatewayGuide key={adapter.kind} adapter={adapter} publicUrl={publicUrl} />
          ))}
        </div>
      </article>
    </>
  );
}
