import { useTranslations } from "next-intl";

/** Marks seeded demo numbers so nobody mistakes them for real, working SIMs. */
export function DemoBadge() {
  const t = useTranslations("Demo");
  return (
    <span
      title={t("hint")}
      className="inline-flex items-center rounded-full border border-violet-200 bg-violet-50 px-2 py-0.5 text-xs font-medium text-violet-700 dark:border-violet-400/30 dark:bg-violet-400/10 dark:text-violet-300"
    >
      {t("label")}
    </span>
  );
}
