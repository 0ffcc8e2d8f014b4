/** Text where `backticked` spans are shown as code: the docs' steps are written that way. Text nodes only. */
export function InlineCode({ text }: { text: string }) {
  return (
    <>
      {text.split("`").map((piece, i) =>
        i % 2 === 1 ? (
          <code
            key={i}
            className="rounded bg-zinc-100 px-1 py-0.5 font-mono text-[0.85em] text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200"
          >
            {piece}
          </code>
        ) : (
          piece
        ),
      )}
    </>
  );
}
