import { useTranslations } from "next-intl";

/** The home page of a fresh install: tells the operator the two commands that make it useful. */
export function NoNumbersYet() {
  const t = useTranslations("NoNumbersYet");
  return (
    <div className="rounded-xl border border-dashed border-zinc-300 bg-white p-5 sm:p-8 dark:border-zinc-700 dark:bg-zinc-900">
      <h2 className="text-lg font-semibold text-zinc-900 dark:text-zinc-50">{t("title")}</h2>
      <p className="mt-2 max-w-prose text-zinc-600 dark:text-zinc-400">{t("body")}</p>
      {/* Commands read left to right whatever the page's language. */}
      <pre
        dir="ltr"
        className="mt-4 overflow-x-auto rounded-lg bg-zinc-950 p-4 text-xs leading-relaxed sm:text-sm text-zinc-100 dark:bg-black"
      >
        <code>
          {"ADMIN_TOKEN=… npm run admin -- gateway add modem-1 --kind generic\n"}
          {"ADMIN_TOKEN=… npm run admin -- number add +998940373339 --gateway modem-1"}
        </code>
      </pre>
      <p className="mt-4 text-sm text-zinc-500 dark:text-zinc-400">
        {t.rich("demo", {
          code: (chunks) => (
            <code dir="ltr" className="font-mono text-zinc-700 dark:text-zinc-300">
              {chunks}
            </code>
          ),
        })}
      </p>
    </div>
  );
}
