import { CopyButton } from "./CopyButton";

/** A copy-paste block of configuration or commands; the button sits above the code so it never hides any. */
export function CodeBlock({ caption, code }: { caption: string; code: string }) {
  return (
    <figure className="mt-4">
      <figcaption className="mb-1.5 flex items-end justify-between gap-3 text-sm font-medium text-zinc-700 dark:text-zinc-300">
        <span>{caption}</span>
        <CopyButton text={code} label={`Copy: ${caption}`} className="px-2 py-1 text-xs" />
      </figcaption>
      <pre className="overflow-x-auto rounded-lg border border-zinc-200 bg-zinc-900 p-4 text-[0.8rem] leading-relaxed text-zinc-100 dark:border-zinc-800 dark:bg-black">
        <code>{code}</code>
      </pre>
    </figure>
  );
}
