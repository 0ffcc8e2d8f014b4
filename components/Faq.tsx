import { getTranslations } from "next-intl/server";
import { config } from "@/lib/config";
import { LOCALE_INFO, type Locale } from "@/lib/i18n/locales";
import { faqLd } from "@/lib/seo/json-ld";
import { JsonLd } from "./JsonLd";

/**
 * The home page's questions and answers: shown, and the same words marked up as a FAQPage (search engines want
 * structured data to say what the page visibly says). How long messages stay is the operator's RETENTION_DAYS.
 */
export async function Faq({ locale }: { locale: Locale }) {
  const t = await getTranslations({ locale, namespace: "Faq" });
  const days = config().RETENTION_DAYS;
  const entries = [
    { question: t("whatQ"), answer: t("whatA") },
    { question: t("privateQ"), answer: t("privateA") },
    { question: t("retentionQ"), answer: t("retentionA", { days }) },
  ];
  return (
    <section aria-labelledby="faq-heading" className="mt-12 max-w-3xl">
      <h2 id="faq-heading" className="mb-3 text-lg font-semibold text-zinc-900 dark:text-zinc-50">
        {t("heading")}
      </h2>
      <div className="space-y-5">
        {entries.map((entry) => (
          <div key={entry.question}>
            <h3 className="font-medium text-zinc-900 dark:text-zinc-100">{entry.question}</h3>
            <p className="mt-1 text-pretty text-zinc-600 dark:text-zinc-400">{entry.answer}</p>
          </div>
        ))}
      </div>
      <JsonLd data={faqLd(entries, LOCALE_INFO[locale].tag)} />
    </section>
  );
}
