import { useTranslations } from "next-intl";
import { Link } from "@/lib/i18n/navigation";
import type { NumberService } from "@/lib/inbox/deliverability";

/**
 * The services this number received from in the last 7 days, the latest first, each linking to its page: from
 * an inbox that got a WhatsApp code, to the other numbers that get WhatsApp's.
 */
export function NumberServices({ services }: { services: NumberService[] }) {
  const t = useTranslations("NumberServices");
  if (services.length === 0) return null;
  return (
    // Not a labelled region: a short list under the number's header, which needs no landmark of its own.
    <div className="mt-6">
      <h2 className="mb-2 text-sm font-semibold text-zinc-700 dark:text-zinc-300">{t("heading")}</h2>
      <ul className="flex flex-wrap gap-2" data-testid="number-services">
        {services.map((service) => {
          const name = service.name;
          return (
            <li key={service.slug}>
              <Link
                href={`/services/${service.slug}`}
                title={t("messages", { name, count: service.messages })}
                className="inline-flex items-center gap-1.5 rounded-full border border-zinc-200 bg-white px-3 py-1 text-sm font-medium text-zinc-800 hover:border-indigo-300 hover:text-indigo-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:border-indigo-400/50 dark:hover:text-indigo-300"
              >
                <span dir="auto">{name}</span>
                <span className="tabular text-xs text-zinc-500 dark:text-zinc-400">{service.messages}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
