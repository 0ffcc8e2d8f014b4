import type { Message } from "@/lib/inbox/message";
import type { LiveInboxes } from "./inboxes";

export type WaitFilter = { from?: string; service?: string; contains?: string };

/** Case-insensitive: testers write `from=telegram` and `contains=code`; `service` is a slug (`google`). */
export function matches(message: Message, filter: WaitFilter): boolean {
  if (filter.from && message.from.toLowerCase() !== filter.from.toLowerCase()) return false;
  if (filter.service && message.service !== filter.service) return false;
  if (filter.contains && !message.text.toLowerCase().includes(filter.contains.toLowerCase())) return false;
  return true;
}

export type WaitOptions = {
  number: string;
  filter: WaitFilter;
  // The cursor: only messages stored after it count.
  after: number;
  live: Pick<LiveInboxes, "subscribe">;
  // A page of the messages already stored after a cursor, oldest first: a code that arrived before the call is
  // found too. Read page by page until a page is shorter than `pageSize`.
  stored: (after: number) => Promise<Message[]>;
  pageSize: number;
  timeoutMs: number;
  signal: AbortSignal;
};

/**
 * The first message after the cursor that matches — the first in id order, so that a tester who waits again
 * after it gets the next one and never skips a code — waiting up to the timeout for it to arrive; null on
 * timeout or when the client gave up. Subscribes before looking at stored messages: the live inbox delivers,
 * in id order, everything after what that look can see, so nothing slips in between.
 */
export async function waitForMessage(options: WaitOptions): Promise<Message | null> {
  let settle: (m: Message | null) => void = () => {};
  const arrived = new Promise<Message | null>((resolve) => (settle = resolve));
  const timer = setTimeout(() => settle(null), options.timeoutMs);
  const onAbort = () => settle(null);
  options.signal.addEventListener("abort", onAbort, { once: true });
  let unsubscribe = () => {};
  try {
    unsubscribe = await options.live.subscribe(options.number, (m) => {
      if (m.id > options.after && matches(m, options.filter)) settle(m);
    });
    for (let cursor = options.after; ;) {
      const page = await options.stored(cursor);
      const earlier = page.find((m) => matches(m, options.filter));
      if (earlier) return earlier;
      if (page.length < options.pageSize) break;
      cursor = page.at(-1)!.id;
    }
    return await arrived;
  } finally {
    unsubscribe();
    clearTimeout(timer);
    options.signal.removeEventListener("abort", onAbort);
  }
}
