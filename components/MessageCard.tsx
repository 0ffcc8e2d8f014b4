import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import type { Message } from "@/lib/inbox/message";
import { probablyExpired } from "@/lib/inbox/code-age";
import { CodeCopy } from "./CodeCopy";
import { useClock } from "./clock";
import { MessageText } from "./MessageText";
import { RelativeTime } from "./RelativeTime";

/**
 * One received SMS. `arrived` marks a message that came in over the live stream, to draw the eye to it once.
 * A message with a code shows its age next to the code rather than in the corner, and once the code has probably
 * expired it is dimmed and says so: `renderedAt` is the server's clock for the first paint and hydration (the
 * visitor's clock would disagree with the HTML), then the shared clock takes over and ages it without a reload.
 *
 * The sender and the body are written by strangers in any script: `dir="auto"` lets an Arabic, Persian or Hebrew
 * SMS read right to left inside an English page, and a Latin one left to right inside the Arabic page.
 */
export function MessageCard({
  message,
  arrived,
  renderedAt,
  footer,
}: {
  message: Message;
  arrived: boolean;
  renderedAt: number;
  // Under the text: where a list of several numbers' messages (a service page) says which number got it.
  footer?: ReactNode;
}) {
  const t = useTranslations("Message");
  const now = useClock() ?? renderedAt;
  const expired = message.code !== null && probablyExpired(message.receivedAt, now);
  const time = <RelativeTime at={message.receivedAt} className="shrink-0 text-sm text-zinc-500 dark:text-zinc-400" />;
  return (
    <li
      data-testid="message"
      data-id={message.id}
      // The target of a feed entry's link (#message-{id}).
      id={`message-${message.id}`}
      data-expired={expired || undefined}
      // Focusable by script only (not a tab stop): the inbox moves focus here after loading older messages.
      tabIndex={-1}
      className={`rounded-xl border border-zinc-200 bg-white p-4 shadow-sm outline-offset-2 outline-indigo-500 focus-visible:outline-2 sm:p-5 dark:border-zinc-800 dark:bg-zinc-900 dark:shadow-none ${
        arrived ? "motion-safe:animate-arrive" : ""
      }`}
    >
      <div className="flex items-baseline justify-between gap-3">
        <h3
          dir="auto"
          data-testid="message-sender"
          className="min-w-0 truncate text-start font-semibold text-zinc-900 dark:text-zinc-50"
          title={message.from}
        >
          {message.from}
        </h3>
        {!message.code && time}
      </div>
      {message.code && (
        <div className="mt-3 flex flex-wrap items-center gap-x-3 gap-y-2">
          <CodeCopy code={message.code} expired={expired} />
          <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
            {expired && (
              <span
                data-testid="code-expired"
                title={t("expiredHint")}
                className="inline-flex items-center rounded-full border border-amber-200 bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800 dark:border-amber-400/30 dark:bg-amber-400/10 dark:text-amber-300"
              >
                {t("expired")}
              </span>
            )}
            <span data-testid="code-age" className="text-sm text-zinc-500 dark:text-zinc-400">
              {t.rich("codeAge", { time: () => time })}
            </span>
          </span>
        </div>
      )}
      <div className="mt-3" dir="auto" data-testid="message-body">
        <MessageText text={message.text} code={message.code} />
      </div>
      {message.incomplete && <p className="mt-2 text-xs text-amber-700 dark:text-amber-400">{t("incomplete")}</p>}
      {footer}
    </li>
  );
}
