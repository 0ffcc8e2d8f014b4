import type { Metadata } from "next";
import { connection } from "next/server";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { EnglishDoc, englishDocMetadata } from "@/components/EnglishDoc";
import { GatewayGuide } from "@/components/GatewayGuide";
import { InlineCode } from "@/components/InlineCode";
import { config } from "@/lib/config";
import { isLocale } from "@/lib/i18n/locales";
import { ADAPTERS } from "@/lib/ingest/adapters";

type Props = { params: Promise<{ locale: string }> };

/**
 * The operator's guide to gateways, rendered from the adapters' own setup text (English only: components/EnglishDoc).
 */
export function generateMetadata({ params }: Props): Promise<Metadata> {
  return englishDocMetadata(params, {
    path: "/docs/gateways",
    title: "Connect a gateway",
    description: "How to send inbound SMS to Numbox from SMS providers, Android phones and GSM modems.",
  });
}

export default async function GatewaysPage({ params }: Props) {
  const { locale } = await params;
  if (isLocale(locale)) setRequestLocale(locale);
  // PUBLIC_URL is the operator's runtime setting: the URLs on this page must be the ones providers will call.
  await connection();
  const t = await getTranslations("Docs");
  const publicUrl = config().PUBLIC_URL.replace(/\/+$/, "");
  const adapters = Object.values(ADAPTERS).filter((a) => a !== undefined);

  return (
    <EnglishDoc
      locale={locale}
      notice={t("englishOnly")}
      title="Connect a gateway"
      lead={
        <p className="mt-3 max-w-3xl text-lg text-zinc-600 dark:text-zinc-400">
          A gateway is where inbound SMS come from: an SMS provider account, an Android phone, or a GSM modem host. Each
          one posts to its own URL, <InlineCode text={`\`${publicUrl}/api/inbound/<gateway id>\``} />, in its native
          format; Numbox checks where the request came from, stores each message exactly once and answers the way that
          source expects. Creating gateways needs the operator&apos;s <InlineCode text="`ADMIN_TOKEN`" />.
        </p>
      }
      nav={{ label: "Gateway kinds", links: adapters.map((a) => ({ href: `#${a.kind}`, text: a.setup.title })) }}
    >
      <div className="mt-8">
        {adapters.map((adapter) => (
          <GatewayGuide key={adapter.kind} adapter={adapter} publicUrl={publicUrl} />
        ))}
      </div>
    </EnglishDoc>
  );
}
