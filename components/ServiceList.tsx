import { useTranslations } from "next-intl";
import { Link } from "@/lib/i18n/navigation";
import type { ServiceSummary } from "@/lib/inbox/deliverability";
import { RelativeTime } from "./RelativeTime";

/**
 * The services seen lately, each a link to its page with its counts: a visitor scans for the one they need and
 * sees at once whether it got through today. Named by what it shows (no aria-label).
 */
export function ServiceList({ services }: { services: ServiceSummary[] }) {
  const t = useTranslations("Services");
  const strong = (chunks: React.ReactNode) => (
    <span className="font-medium text-zinc-800 dark:text-zinc-200">{chunks}</span>
  );
  return (
    <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" data-testid="service-list">
      {services.map((service) => (
        <li key={service.slug}>
          <Link
            href={`/services/${service.slug}`}
            data-testid="service-link"
            data-slug={service.slug}
            className="group flex h-full flex-col gap-1.5 rounded-xl border border-zinc-200 bg-white p-4 shadow-sm transition hover:border-zinc-300 hover:shadow-md focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 dark:border-zinc-800 dark:bg-zinc-900 dark:shadow-none dark:hover:border-zinc-700"
          >
            <span
              dir="auto"
              className="truncate text-start text-lg font-semibold text-zinc-900 group-hover:text-indigo-700 dark:text-zinc-50 dark:group-hover:text-indigo-300"
            >
              {service.name}
            </span>
            <span className="tabular flex flex-wrap gap-x-3 gap-y-0.5 text-sm text-zinc-600 dark:text-zinc-400">
              <span className={service.last24h > 0 ? "text-emerald-700 dark:text-emerald-400" : undefined}>
                {t.rich("day", { count: service.last24h, strong })}
              </span>
              <span>{t.rich("week", { count: service.last7d, strong })}</span>
              <span>{t("numbers", { count: service.numbers })}</span>
            </span>
            <span className="text-sm text-zinc-500 dark:text-zinc-400">
              {t.rich("last", { time: () => <RelativeTime at={service.lastAt} /> })}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
