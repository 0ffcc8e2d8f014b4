import { INPUT, LABEL, PRIMARY_BUTTON } from "./AdminShell";

/**
 * The sign-in page: a plain form post to /admin/sign-in, so it works without JavaScript. The token field is a
 * password field: never shown on screen, never put in the URL (POST), never filled back into the page.
 */
export function SignIn({ wrong }: { wrong: boolean }) {
  return (
    <main id="main" className="mx-auto max-w-sm px-4 py-16">
      <h1 className="text-2xl font-bold tracking-tight">Numbox admin</h1>
      <p className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">
        Sign in with the server&apos;s admin token (ADMIN_TOKEN).
      </p>
      {wrong && (
        <p
          role="alert"
          className="mt-4 rounded-lg border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
        >
          That is not the admin token. Wrong tokens count against the same hourly limit as the admin API&apos;s.
        </p>
      )}
      <form method="post" action="/admin/sign-in" className="mt-6 space-y-4">
        <div>
          <label htmlFor="token" className={LABEL}>
            Admin token
          </label>
          <input id="token" name="token" type="password" required autoComplete="current-password" className={INPUT} />
        </div>
        <button type="submit" className={PRIMARY_BUTTON}>
          Sign in
        </button>
      </form>
    </main>
  );
}

/** With no ADMIN_TOKEN there is nothing to sign in with: say so, and how to turn it on (like the API's 403). */
export function AdminDisabled() {
  return (
    <main id="main" className="mx-auto max-w-md px-4 py-16">
      <h1 className="text-2xl font-bold tracking-tight">The admin is disabled</h1>
      <p className="mt-3 text-zinc-700 dark:text-zinc-300">
        This server has no admin token. Set ADMIN_TOKEN in the server&apos;s environment and restart it to use the admin
        pages and the admin API.
      </p>
    </main>
  );
}
