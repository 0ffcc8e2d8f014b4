import Link from "next/link";

export const metadata = { title: "Not found · Numbox" };

/**
 * A miss outside every language's pages: a path proxy.ts does not hand to the locale routing (one that looks
 * like a static file, such as /missing.png). Pages that do not exist in a language get app/[locale]/not-found.tsx.
 */
export default function NotFound() {
  return (
    <html lang="en" dir="ltr">
      <body className="bg-zinc-50 font-sans text-zinc-900 dark:bg-zinc-950 dark:text-zinc-100">
        <main className="mx-auto max-w-md px-4 py-16 text-center">
          <p className="font-mono text-sm font-semibold text-indigo-600 dark:text-indigo-400">404</p>
          <h1 className="mt-2 text-2xl font-bold tracking-tight">Nothing here</h1>
          <Link
            href="/"
            className="mt-6 inline-flex rounded-lg bg-indigo-600 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500"
          >
            Numbox home
          </Link>
        </main>
      </body>
    </html>
  );
}
