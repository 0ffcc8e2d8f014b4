"use client";

import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import type { Message } from "@/lib/inbox/message";
import type { MessagePage } from "@/lib/inbox/messages";
import { hasMessage, inboxKey, newestId, withMessage, withoutMessage, type InboxData } from "./inboxCache";
import { ArrivalAlertToggles } from "./ArrivalAlertToggles";
import { LiveStatus } from "./LiveStatus";
import { MessageCard } from "./MessageCard";
import { fetchMessagePage } from "./messagesApi";
import { useArrivalAlerts } from "./useArrivalAlerts";
import { useMessageStream } from "./useMessageStream";

/**
 * The live inbox. The server rendered the first page; this keeps it in the query cache, pages back by cursor,
 * prepends what the stream delivers, and drops what the operator hides. `renderedAt` is the server's clock when it
 * rendered the first page, which the cards age from until the visitor's clock takes over (MessageCard).
 */
export function Inbox({
  number,
  digits,
  hostOnline,
  firstPage,
  renderedAt,
}: {
  number: string;
  digits: string;
  hostOnline: boolean;
  firstPage: MessagePage;
  renderedAt: number;
}) {
  const t = useTranslations("Inbox");
  const queryClient = useQueryClient();
  const queryKey = inboxKey(number);
  const [arrived, setArrived] = useState<ReadonlySet<number>>(() => new Set());
  // Screen readers hear about streamed messages only, not about every older page loaded into the list.
  const [announcement, setAnnouncement] = useState("");
  // After "Older messages", focus goes to the first message loaded: the reader goes on where the list grew,
  // and is not left on a button that goes away once nothing older is left.
  const [focusOn, setFocusOn] = useState<number | null>(null);
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (focusOn !== null) list.current?.querySelector<HTMLElement>(`[data-id="${focusOn}"]`)?.focus();
  }, [focusOn]);

  const inbox = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, signal }) => fetchMessagePage(digits, pageParam, signal),
    initialPageParam: null as number | null,
    getNextPageParam: (lastPage) => lastPage.next,
    initialData: { pages: [firstPage], pageParams: [null] },
  });

  const alerts = useArrivalAlerts();
  const status = useMessageStream(
    digits,
    () => newestId(queryClient.getQueryData<InboxData>(queryKey)),
    (message: Message) => {
      if (hasMessage(queryClient.getQueryData<InboxData>(queryKey), message.id)) return;
      queryClient.setQueryData<InboxData>(queryKey, (data) => withMessage(data, message));
      setArrived((ids) => new Set(ids).add(message.id));
      setAnnouncement(
        message.code
          ? t("announceWithCode", { from: message.from, code: message.code })
          : t("announce", { from: message.from }),
      );
      alerts.arrived(message);
    },
    (id) => queryClient.setQueryData<InboxData>(queryKey, (data) => withoutMessage(data, id)),
  );

  const messages = inbox.data.pages.flatMap((page) => page.messages);

  return (
    <section aria-labelledby="inbox-heading" className="mt-8">
      <div className="mb-3 flex flex-wrap items-start justify-between gap-3">
        <div className="flex items-center gap-3">
          <h2 id="inbox-heading" className="text-lg font-semibold text-zinc-900 dark:text-zinc-50">
            {t("heading")}
          </h2>
          <LiveStatus status={status} />
        </div>
        <ArrivalAlertToggles alerts={alerts} />
      </div>

      {messages.length === 0 ? (
        <p className="rounded-xl border border-dashed border-zinc-300 px-5 py-10 text-center text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          {hostOnline ? t("emptyOnline") : t("emptyOffline")}
        </p>
      ) : (
        <ol ref={list} className="flex flex-col gap-3">
          {messages.map((message) => (
            <MessageCard key={message.id} message={message} arrived={arrived.has(message.id)} renderedAt={renderedAt} />
          ))}
        </ol>
      )}

      <p role="status" className="sr-only">
        {announcement}
      </p>

      {inbox.hasNextPage && (
        <div className="mt-5 flex flex-col items-center gap-2">
          <button
            type="button"
            onClick={async () => {
              const { data } = await inbox.fetchNextPage();
              const first = data?.pages.at(-1)?.messages[0];
              if (first) setFocusOn(first.id);
            }}
            disabled={inbox.isFetchingNextPage}
            className="rounded-lg border border-zinc-200 bg-white px-4 py-2 text-sm font-medium text-zinc-800 shadow-sm transition hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 disabled:cursor-wait disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-100 dark:hover:bg-zinc-700"
          >
            {inbox.isFetchingNextPage ? t("loadingOlder") : t("older")}
          </button>
          {inbox.isFetchNextPageError && (
            <p role="alert" className="text-sm text-red-700 dark:text-red-400">
              {t("olderFailed", { detail: inbox.error.message })}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
