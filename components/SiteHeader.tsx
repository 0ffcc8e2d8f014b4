import { useTranslations } from "next-intl";
import { Link } from "@/lib/i18n/navigation";
import { LanguageSwitcher } from "./LanguageSwitcher";
import { Logo } from "./Logo";

export function SiteHeader() {
  const t = useTranslations("Header");
  return (
    // Above the page (z-20): its backdrop blur makes it a layer of its own, and the language menu opens from it
    // over the content, which has positioned parts of its own (the live indicator's pulse).
    <header className="relative z-20 border-b border-zinc-200/80 bg-white/80 backdrop-blur supports-[backdrop-filter]:bg-white/70 dark:border-zinc-800/80 dark:bg-zinc-950/80 dark:supports-[backdrop-filter]:bg-zinc-950/70">
      <div className="mx-auto flex h-14 max-w-5xl items-center justify-between gap-4 px-4 sm:px-6">
        <Link
          href="/"
          className="flex items-center gap-2.5 rounded-md focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-indigo-500"
        >
          <Logo className="size-7" />
          <span className="text-lg font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">Numbox</span>
        </Link>
        <div className="flex min-w-0 items-center gap-4">
          {/* On a phone the switcher needs the room more than the tagline does. */}
          <p className="hidden text-end text-sm text-zinc-500 md:block dark:text-zinc-400">{t("tagline")}</p>
          <Link
            href="/services"
            className="rounded-md text-sm font-medium text-zinc-700 hover:text-indigo-700 focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-indigo-500 dark:text-zinc-300 dark:hover:text-indigo-300"
          >
            {t("services")}
          </Link>
          <LanguageSwitcher />
        </div>
      </div>
    </header>
  );
}
