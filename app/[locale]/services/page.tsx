import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { cache } from "react";
import { JsonLd } from "@/components/JsonLd";
import { ServiceList } from "@/components/ServiceList";
import { config } from "@/lib/config";
import { isLocale, localePath } from "@/lib/i18n/locales";
import { recentServices } from "@/lib/inbox/deliverability";
import { breadcrumbLd } from "@/lib/seo/json-ld";
import { pageMetadata } from "@/lib/seo/metadata";
import { siteUrl } from "@/lib/seo/urls";
import { getDb } from "@/lib/server/database";

type Props = { params: Promise<{ locale: string }> };

// Metadata (noindex while empty) and page read the list once per request.
const servicesNow = cache(async () => recentServices(await getDb(), new Date()));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  if (!isLocale(locale)) return {};
  await connection();
  const services = await servicesNow();
  const t = await getTranslations({ locale, namespace: "Services" });
  const og = await getTranslations({ locale, namespace: "Og" });
  return pageMetadata({
    locale,
    publicUrl: config().PUBLIC_URL,
    path: "/services",
    title: t("metaTitle"),
    description: t("metaDescription"),
    image: { kind: "site" },
    imageAlt: og("siteAlt"),
    // An empty list is a thin page: shown, not indexed (the sitemap lists it on the same rule).
    indexable: services.length > 0,
  });
}

export default async function ServicesPage({ params }: Props) {
  const { locale } = await params;
  if (!isLocale(locale)) notFound();
  setRequestLocale(locale);
  await connection();
  const services = await servicesNow();
  const t = await getTranslations("Services");
  const url = (path: string) => siteUrl(config().PUBLIC_URL, localePath(locale, path));
  return (
    <>
      <JsonLd
        data={breadcrumbLd([
          { name: "Numbox", url: url("/") },
          { name: t("heading"), url: url("/services") },
        ])}
      />
      <section className="max-w-2xl">
        <h1 className="text-2xl font-bold tracking-tight text-zinc-900 sm:text-3xl dark:text-zinc-50">
          {t("heading")}
        </h1>
        <p className="mt-2 text-pretty text-zinc-600 dark:text-zinc-400">{t("intro")}</p>
      </section>
      <div className="mt-8">
        {services.length > 0 ? (
          <ServiceList services={services} />
        ) : (
          <p className="text-zinc-600 dark:text-zinc-400">{t("empty")}</p>
        )}
      </div>
    </>
  );
}
