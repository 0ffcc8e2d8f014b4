import type { InfiniteData } from "@tanstack/react-query";
import type { Message } from "@/lib/inbox/message";
import type { MessagePage } from "@/lib/inbox/messages";

/** Pages of one inbox in the query cache, newest first; page params are `before` cursors (null = newest page). */
export type InboxData = InfiniteData<MessagePage, number | null>;

export const inboxKey = (number: string) => ["messages", number] as const;

export function hasMessage(data: InboxData | undefined, id: number): boolean {
  return data?.pages.some((page) => page.messages.some((m) => m.id === id)) ?? false;
}

/** Highest id in the cache (the stream's replay cursor), 0 when the inbox is empty. */
export function newestId(data: InboxData | undefined): number {
  let newest = 0;
  for (const page of data?.pages ?? []) for (const m of page.messages) if (m.id > newest) newest = m.id;
  return newest;
}

/**
 * The cache with a streamed message added to the newest page. A reconnect replays a little more than needed,
 * so duplicates are dropped by id; ids order messages by arrival, so sorting by id keeps newest first even when
 * two arrive out of order.
 */
export function withMessage(data: InboxData | undefined, message: Message): InboxData {
  if (!data) return { pages: [{ messages: [message], next: null }], pageParams: [null] };
  if (hasMessage(data, message.id)) return data;
  const [first, ...older] = data.pages;
  const messages = [message, ...(first?.messages ?? [])].sort((a, b) => b.id - a.id);
  return { ...data, pages: [{ messages, next: first?.next ?? null }, ...older] };
}

/** The cache without a message the operator hid (unchanged when it holds no such message). */
export function withoutMessage(data: InboxData | undefined, id: number): InboxData | undefined {
  if (!data || !hasMessage(data, id)) return data;
  return {
    ...data,
    pages: data.pages.map((page) => ({ ...page, messages: page.messages.filter((m) => m.id !== id) })),
  };
}
