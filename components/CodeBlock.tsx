import { CopyButton } from "./CopyButton";

/** A copy-paste block of configuration or commands. */
export function CodeBlock({ caption, code }: { caption?: string; code: string }) {
  return (
    <figure className="mt-3">
      {caption && <figcaption className="mb-1 text-sm font-medium text-zinc-700 dark:text-zinc-300">{caption}</figcaption>}
      <div className="relative">
        <pre className="overflow-x-auto rounded-lg border border-zinc-200 bg-zinc-900 p-4 pr-20 text-[0.8rem] leading-relaxed text-zinc-100 dark:border-zinc-800 dark:bg-black">
          <code>{code}</code>
        </pre>
        <div className="absolute right-2 top-2">
          <CopyButton text={code} label={caption ? `Copy: ${caption}` : "Copy"} />
        </div>
      </div>
    </figure>
  );
}
