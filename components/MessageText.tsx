import { Fragment, type ReactNode } from "react";
import { splitLinks } from "@/lib/text/links";
import { highlightOf } from "@/lib/text/otp";

/**
 * An SMS body. SMS text is written by strangers: it is only ever rendered as React text nodes, never as HTML.
 * Links that go exactly where they read (lib/text/links.ts) are clickable, in a new tab, without a referrer
 * and marked as user content so they pass no ranking; everything else stays text. The code is emphasised where
 * the extractor reads it (lib/text/otp.ts), as written there ("123 456", "١٢٣٤٥٦"), so the eye finds it in the
 * sentence, even inside a link; not where its digits first appear, which may be inside a phone or order number. A
 * code stored by an older extractor that this one reads differently is not emphasised.
 */
export function MessageText({ text, code }: { text: string; code: string | null }) {
  const highlight = highlightOf(text, code);
  const nodes: ReactNode[] = [];
  let offset = 0;
  for (const [i, part] of splitLinks(text).entries()) {
    const content = marked(part.text, offset, highlight);
    offset += part.text.length;
    nodes.push(
      part.kind === "text" ? (
        <Fragment key={i}>{content}</Fragment>
      ) : (
        // dir="ltr" isolates the link from any direction override in the text around it, so it reads as written.
        <a
          key={i}
          href={part.href}
          target="_blank"
          rel="nofollow noopener noreferrer ugc"
          dir="ltr"
          className="text-indigo-700 underline decoration-indigo-300 underline-offset-2 hover:decoration-indigo-600 dark:text-indigo-300 dark:decoration-indigo-500/50"
        >
          {content}
        </a>
      ),
    );
  }
  return (
    <p
      data-testid="message-text"
      className="whitespace-pre-wrap break-words text-[0.95rem] leading-relaxed text-zinc-700 [overflow-wrap:anywhere] dark:text-zinc-300"
    >
      {nodes}
    </p>
  );
}

/** `piece` (which starts at `start` in the message) with the part inside `range` wrapped in <mark>. */
function marked(piece: string, start: number, range: { start: number; end: number } | null): ReactNode {
  if (!range) return piece;
  const from = Math.max(range.start - start, 0);
  const to = Math.min(range.end - start, piece.length);
  if (from >= to) return piece;
  return (
    <>
      {piece.slice(0, from)}
      <mark className="rounded bg-indigo-100 px-0.5 font-semibold text-zinc-900 dark:bg-indigo-400/20 dark:text-zinc-50">
        {piece.slice(from, to)}
      </mark>
      {piece.slice(to)}
    </>
  );
}
