import Link from "next/link";
import type { ReactNode } from "react";

const SCREENS = [
  { href: "/admin", label: "Overview" },
  { href: "/admin/gateways", label: "Gateways" },
  { href: "/admin/numbers", label: "Numbers" },
  { href: "/admin/messages", label: "Messages" },
  { href: "/admin/moderation", label: "Moderation" },
] as const;

export type Screen = (typeof SCREENS)[number]["href"];

/** The signed-in admin's frame: the screens, and sign out (a POST: a link could be followed by anything). */
export function AdminShell({ current, title, children }: { current: Screen; title: string; children: ReactNode }) {
  return (
    <>
      <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
          <p className="font-semibold">
            Numbox <span className="font-normal text-zinc-600 dark:text-zinc-400">admin</span>
          </p>
          <nav aria-label="Admin screens" className="order-last w-full sm:order-none sm:w-auto">
            <ul className="flex flex-wrap gap-1 text-sm">
              {SCREENS.map(({ href, label }) => (
                <li key={href}>
                  <Link
                    href={href}
                    aria-current={href === current ? "page" : undefined}
                    className="inline-block rounded-md px-2.5 py-1.5 text-zinc-700 hover:bg-zinc-100 aria-[current=page]:bg-indigo-50 aria-[current=page]:font-semibold aria-[current=page]:text-indigo-800 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:aria-[current=page]:bg-indigo-950 dark:aria-[current=page]:text-indigo-200"
                  >
                    {label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <form method="post" action="/admin/sign-out" className="ms-auto">
            <button type="submit" className={SECONDARY_BUTTON}>
              Sign out
            </button>
          </form>
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-5xl px-4 py-6 sm:px-6 sm:py-8">
        <h1 className="text-2xl font-bold tracking-tight">{title}</h1>
        {children}
      </main>
    </>
  );
}

export const PRIMARY_BUTTON =
  "inline-flex items-center rounded-lg bg-indigo-600 px-3.5 py-2 text-sm font-medium text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 disabled:opacity-60";
export const SECONDARY_BUTTON =
  "inline-flex items-center rounded-lg border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium text-zinc-800 shadow-sm hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 dark:border-zinc-600 dark:bg-zinc-800 dark:text-zinc-100 dark:hover:bg-zinc-700";
export const INPUT =
  "mt-1 block h-10 w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm text-zinc-900 shadow-sm focus-visible:outline-2 focus-visible:outline-indigo-500 dark:border-zinc-600 dark:bg-zinc-900 dark:text-zinc-100";
export const LABEL = "block text-sm font-medium text-zinc-800 dark:text-zinc-200";
/** One record of a screen's list: a gateway, a number, a message, a rule, a report. */
export const CARD =
  "rounded-lg border border-zinc-200 bg-white px-4 py-3 [overflow-wrap:anywhere] dark:border-zinc-800 dark:bg-zinc-900";
/** A panel's plain remark, such as an empty list's. */
export const NOTE = "text-sm text-zinc-700 dark:text-zinc-300";

/** A titled part of a screen. */
export function Panel({ title, children }: { title: string; children: ReactNode }) {
  const id = `panel-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <section aria-labelledby={id} className="mt-8">
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      <div className="mt-3">{children}</div>
    </section>
  );
}

/** "1 message", "2 messages". */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** "5 min ago", by the server's clock, with the exact UTC time on hover; "never" for no time. */
export function Ago({ at, now }: { at: string | null; now: Date }) {
  if (!at) return <span>never</span>;
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(at)) / 1000));
  const text =
    seconds < 60
      ? "just now"
      : seconds < 3600
        ? `${Math.floor(seconds / 60)} min ago`
        : seconds < 86_400
          ? `${Math.floor(seconds / 3600)} h ago`
          : `${Math.floor(seconds / 86_400)} d ago`;
  return (
    <time dateTime={at} title={at.replace("T", " ").replace(/\.\d+Z$/, " UTC")}>
      {text}
    </time>
  );
}
