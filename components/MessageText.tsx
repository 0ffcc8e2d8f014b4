/**
 * An SMS body as plain text. SMS text is written by strangers: it is only ever rendered as React text nodes,
 * never as HTML. The code, where it appears verbatim, is emphasised so the eye finds it in the sentence.
 */
export function MessageText({ text, code }: { text: string; code: string | null }) {
  const at = code ? text.indexOf(code) : -1;
  return (
    <p className="whitespace-pre-wrap break-words text-[0.95rem] leading-relaxed text-zinc-700 [overflow-wrap:anywhere] dark:text-zinc-300">
      {code && at >= 0 ? (
        <>
          {text.slice(0, at)}
          <mark className="rounded bg-indigo-100 px-0.5 font-semibold text-zinc-900 dark:bg-indigo-400/20 dark:text-zinc-50">
            {code}
          </mark>
          {text.slice(at + code.length)}
        </>
      ) : (
        text
      )}
    </p>
  );
}
