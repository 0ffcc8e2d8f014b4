import { connection } from "next/server";
import { getTranslations } from "next-intl/server";
import { config } from "@/lib/config";
import { Link } from "@/lib/i18n/navigation";

/** A rich message's `<link>` as a link to one of the site's guides. */
function linkTo(href: string) {
  function GuideLink(chunks: React.ReactNode) {
    return (
      <Link href={href} className="font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300">
        {chunks}
      </Link>
    );
  }
  return GuideLink;
}

export async function SiteFooter() {
  // The retention period is the operator's runtime setting: read it per request, never bake in the build's.
  await connection();
  const t = await getTranslations("Footer");
  const days = config().RETENTION_DAYS;
  return (
    <footer className="mt-16 border-t border-zinc-200 dark:border-zinc-800">
      <div className="mx-auto flex max-w-5xl flex-col gap-3 px-4 py-8 text-sm text-zinc-600 sm:px-6 dark:text-zinc-400">
        <p className="font-medium text-zinc-800 dark:text-zinc-200">{t("public")}</p>
        <p>{t("retention", { days })}</p>
        <p>{t.rich("selfHost", { link: linkTo("/docs/gateways") })}</p>
        <p>{t.rich("api", { link: linkTo("/docs/api") })}</p>
      </div>
    </footer>
  );
}
