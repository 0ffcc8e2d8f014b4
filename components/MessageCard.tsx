import { useTranslations } from "next-intl";
import type { Message } from "@/lib/inbox/message";
import { CodeCopy } from "./CodeCopy";
import { MessageText } from "./MessageText";
import { RelativeTime } from "./RelativeTime";

/**
 * One received SMS. `arrived` marks a message that came in over the live stream, to draw the eye to it once.
 *
 * The sender and the body are written by strangers in any script: `dir="auto"` lets an Arabic, Persian or Hebrew
 * SMS read right to left inside an English page, and a Latin one left to right inside the Arabic page.
 */
export function MessageCard({ message, arrived }: { message: Message; arrived: boolean }) {
  const t = useTranslations("Message");
  return (
    <li
      data-testid="message"
      data-id={message.id}
      className={`rounded-xl border border-zinc-200 bg-white p-4 shadow-sm sm:p-5 dark:border-zinc-800 dark:bg-zinc-900 dark:shadow-none ${
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
        <RelativeTime at={message.receivedAt} className="shrink-0 text-sm text-zinc-500 dark:text-zinc-400" />
      </div>
      {message.code && (
        <div className="mt-3">
          <CodeCopy code={message.code} />
        </div>
      )}
      <div className="mt-3" dir="auto" data-testid="message-body">
        <MessageText text={message.text} code={message.code} />
      </div>
      {message.incomplete && <p className="mt-2 text-xs text-amber-700 dark:text-amber-400">{t("incomplete")}</p>}
    </li>
  );
}
