import type { FeedFormat } from "@/lib/feeds/feeds";

const FORMATS = [
  ["rss", "RSS"],
  ["atom", "Atom"],
  ["json", "JSON Feed"],
] as const;

/**
 * A page's feeds (an inbox's, a service's), for people who follow it in a reader; the page's head announces them
 * to readers too (lib/feeds/feeds.ts: feedAlternates).
 */
export function FeedLinks({ paths, label }: { paths: Record<FeedFormat, string>; label: string }) {
  return (
    <p className="mt-8 text-sm text-zinc-600 dark:text-zinc-400">
      {label}{" "}
      {/* The formats' Latin names in their own direction: in a right-to-left page the separators stay between them. */}
      <span dir="ltr">
        {FORMATS.map(([format, name], i) => (
          <span key={format}>
            {i > 0 && " · "}
            <a
              href={paths[format]}
              className="font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300"
            >
              {name}
            </a>
          </span>
        ))}
      </span>
    </p>
  );
}
