import { useTranslations } from "next-intl";
import { Link } from "@/lib/i18n/navigation";
import type { ReportedNumber } from "@/lib/inbox/deliverability";
import { formatInternational } from "@/lib/text/phone";
import { RelativeTime } from "./RelativeTime";

/** The numbers visitors reported as not receiving a service's codes lately: a warning before picking one. */
export function ReportedNumbers({ numbers }: { numbers: ReportedNumber[] }) {
  const t = useTranslations("Service");
  return (
    <ul className="flex flex-col gap-2" data-testid="reported-numbers">
      {numbers.map((n) => (
        <li
          key={n.number}
          data-number={n.number}
          className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 rounded-lg border border-amber-200 bg-amber-50 px-4 py-2.5 text-sm dark:border-amber-400/30 dark:bg-amber-400/10"
        >
          <Link
            href={`/numbers/${n.digits}`}
            dir="ltr"
            className="tabular font-mono font-semibold text-zinc-900 underline-offset-2 hover:underline dark:text-zinc-50"
          >
            {formatInternational(n.number)}
          </Link>
          <span className="text-amber-900 dark:text-amber-200">
            {t("reports", { count: n.reports })} · <RelativeTime at={n.lastAt} />
          </span>
        </li>
      ))}
    </ul>
  );
}
