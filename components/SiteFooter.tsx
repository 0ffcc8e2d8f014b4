import Link from "next/link";
import { connection } from "next/server";
import { config } from "@/lib/config";

export async function SiteFooter() {
  // The retention period is the operator's runtime setting: read it per request, never bake in the build's.
  await connection();
  const days = config().RETENTION_DAYS;
  return (
    <footer className="mt-16 border-t border-zinc-200 dark:border-zinc-800">
      <div className="mx-auto flex max-w-5xl flex-col gap-3 px-4 py-8 text-sm text-zinc-600 sm:px-6 dark:text-zinc-400">
        <p className="font-medium text-zinc-800 dark:text-zinc-200">
          Messages are public — never use these numbers for anything private.
        </p>
        <p>
          Every message is deleted within {days} {days === 1 ? "day" : "days"} of arriving. Numbers are shared by
          everyone who visits, so a service may already know them.
        </p>
        <p>
          Numbox is open-source software you can host yourself with your own modems or SMS provider:{" "}
          <Link
            href="/docs/gateways"
            className="font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300"
          >
            connect a gateway
          </Link>
          .
        </p>
      </div>
    </footer>
  );
}
