import { useTranslations } from "next-intl";
import { SERVICES } from "@/lib/services/catalogue";

/**
 * The country page's service filter: a plain GET form (`?service=whatsapp`), so that it works without
 * JavaScript and each choice is an address to share. It offers the catalogue's services by name: a fixed list,
 * read from no database.
 */
export function ServicePicker({ action, selected }: { action: string; selected: string | null }) {
  const t = useTranslations("Country");
  const services = [...SERVICES].sort((a, b) => a.name.localeCompare(b.name, "en"));
  return (
    <form method="get" action={action} className="flex flex-wrap items-end gap-2" data-testid="service-picker">
      <label className="flex flex-col gap-1 text-sm font-medium text-zinc-700 dark:text-zinc-300">
        {t("filterLabel")}
        <select
          name="service"
          defaultValue={selected ?? ""}
          className="rounded-lg border border-zinc-300 bg-white px-3 py-2 text-base text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
        >
          <option value="">{t("anyService")}</option>
          {services.map((s) => (
            <option key={s.slug} value={s.slug}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <button
        type="submit"
        className="rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500"
      >
        {t("filterSubmit")}
      </button>
    </form>
  );
}
