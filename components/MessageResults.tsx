"use client";

import { useTranslations } from "next-intl";
import { Link } from "@/lib/i18n/navigation";
import type { Message } from "@/lib/inbox/message";
import { formatInternational } from "@/lib/text/phone";
import { MessageCard } from "./MessageCard";

/**
 * Messages the server picked (a service's latest across numbers, an inbox search's matches), each as the inbox
 * shows it (code emphasised, copy button, age) and, with `showNumber`, the number that received it, linking to
 * that inbox. A client component because MessageCard ages its code on the visitor's clock; the list itself is
 * what the server rendered, not live.
 */
export function MessageResults({
  messages,
  renderedAt,
  showNumber,
}: {
  messages: Message[];
  renderedAt: number;
  showNumber: boolean;
}) {
  const t = useTranslations("ServiceMessage");
  return (
    <ol className="flex flex-col gap-3" data-testid="message-results">
      {messages.map((message) => (
        <MessageCard
          key={message.id}
          message={message}
          arrived={false}
          renderedAt={renderedAt}
          footer={
            showNumber && (
              <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
                {t.rich("to", {
                  number: formatInternational(message.number),
                  link: (chunks) => (
                    <Link
                      href={`/numbers/${message.number.slice(1)}`}
                      dir="ltr"
                      data-testid="message-number"
                      className="tabular font-mono font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300"
                    >
                      {chunks}
                    </Link>
                  ),
                })}
              </p>
            )
          }
        />
      ))}
    </ol>
  );
}
