import { useTranslations } from "next-intl";

/** The longest and shortest search the read API takes (`q=`, lib/inbox/params.ts). */
export const SEARCH_MIN = 2;
export const SEARCH_MAX = 100;

/** The search a page was asked for (`?q=`), trimmed: its text, and whether the read API's bounds take it. */
export function searchOf(raw: string | string[] | undefined): { text: string; valid: boolean } | null {
  if (typeof raw !== "string" || raw.trim() === "") return null;
  const text = raw.trim();
  return { text, valid: text.length >= SEARCH_MIN && text.length <= SEARCH_MAX };
}

/**
 * Search a page's messages (an inbox's, a service's) by sender or text: a plain GET form (`?q=`), so that it works
 * without JavaScript and a search is an address. The page answers it with the read API's own filter (`q`).
 */
export function SearchBox({ action, query, label }: { action: string; query: string; label: string }) {
  const t = useTranslations("Search");
  return (
    <form method="get" action={action} role="search" className="mt-6 flex gap-2" data-testid="search-box">
      <label htmlFor="search-q" className="sr-only">
        {label}
      </label>
      <input
        id="search-q"
        type="search"
        name="q"
        dir="auto"
        defaultValue={query}
        minLength={SEARCH_MIN}
        maxLength={SEARCH_MAX}
        required
        placeholder={t("placeholder")}
        className="min-w-0 flex-1 rounded-lg border border-zinc-300 bg-white px-3 py-2 text-base text-zinc-900 placeholder:text-zinc-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:placeholder:text-zinc-400"
      />
      <button
        type="submit"
        className="rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500"
      >
        {t("submit")}
      </button>
    </form>
  );
}
