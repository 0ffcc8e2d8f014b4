import type { Metadata, Viewport } from "next";
import { NextIntlClientProvider } from "next-intl";
import type { ReactNode } from "react";
import { loadMessages } from "@/lib/i18n/messages";

/**
 * The operator's pages: outside app/[locale] (English only, like the gateway guide and the admin CLI; a handful of
 * operators, not the public), never indexed (proxy.ts also sends X-Robots-Tag and Cache-Control: no-store).
 * Only the English messages of the shared components it reuses are sent (the copy buttons of the setup guide).
 */
export const metadata: Metadata = {
  title: { default: "Admin · Numbox", template: "%s · Numbox admin" },
  robots: { index: false, follow: false },
  // As proxy.ts's header says: with the site's "no-referrer", the admin's own form posts would carry `Origin: null`
  // and be refused as cross-site.
  referrer: "same-origin",
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#fafafa" },
    { media: "(prefers-color-scheme: dark)", color: "#09090b" },
  ],
};

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const messages = await loadMessages("en");
  return (
    <html lang="en" dir="ltr">
      <body className="min-h-dvh bg-zinc-50 font-sans text-zinc-900 dark:bg-zinc-950 dark:text-zinc-100">
        <NextIntlClientProvider locale="en" messages={{ Copy: messages.Copy }}>
          {children}
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
