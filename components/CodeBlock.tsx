import { CopyButton } from "./CopyButton";

/**
 * A copy-paste block of configuration or commands; the button sits above the code so it never hides any. Long
 * lines scroll sideways, so the block takes keyboard focus (a region) for a keyboard user to scroll it; its name
 * says which `section` it is in, because the same steps repeat on a page of guides.
 */
export function CodeBlock({ caption, code, section }: { caption: string; code: string; section: string }) {
  return (
    <figure className="mt-4">
      <figcaption className="mb-1.5 flex items-end justify-between gap-3 text-sm font-medium text-zinc-700 dark:text-zinc-300">
        <span>{caption}</span>
        <CopyButton text={code} label={`Copy: ${caption}`} className="px-2 py-1 text-xs" />
      </figcaption>
      <pre
        tabIndex={0}
        role="region"
        aria-label={`${section}: ${caption}`}
        className="overflow-x-auto rounded-lg border border-zinc-200 bg-zinc-900 p-4 text-[0.8rem] leading-relaxed text-zinc-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 dark:border-zinc-800 dark:bg-black"
      >
        <code>{code}</code>
      </pre>
    </figure>
  );
}
