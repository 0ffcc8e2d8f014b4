import type { Message } from "@/lib/inbox/message";
import type { MessageBus } from "./bus";

export type WaitFilter = { from?: string; contains?: string };

/** Case-insensitive: testers write `from=telegram` and `contains=code`. */
export function matches(message: Message, filter: WaitFilter): boolean {
  if (filter.from && message.from.toLowerCase() !== filter.from.toLowerCase()) return false;
  if (filter.contains && !message.text.toLowerCase().includes(filter.contains.toLowerCase())) return false;
  return true;
}

export type WaitOptions = {
  number: string;
  filter: WaitFilter;
  // The cursor: only messages stored after it count (a late publish of an older message must not answer).
  after: number;
  bus: MessageBus;
  // Messages already stored after the cursor, oldest first: a code that arrived before the call is found too.
  stored: () => Promise<Message[]>;
  timeoutMs: number;
  signal: AbortSignal;
};

/**
 * The first message after the cursor that matches, waiting up to the timeout for it to arrive; null on timeout
 * or when the client gave up. Subscribes before looking at stored messages, so nothing slips in between.
 */
export async function waitForMessage(options: WaitOptions): Promise<Message | null> {
  let settle: (m: Message | null) => void = () => {};
  const arrived = new Promise<Message | null>((resolve) => (settle = resolve));
  const unsubscribe = options.bus.subscribe(options.number, (m) => {
    if (m.id > options.after && matches(m, options.filter)) settle(m);
  });
  const timer = setTimeout(() => settle(null), options.timeoutMs);
  const onAbort = () => settle(null);
  options.signal.addEventListener("abort", onAbort, { once: true });
  try {
    const earlier = (await options.stored()).find((m) => matches(m, options.filter));
    if (earlier) return earlier;
    return await arrived;
  } finally {
    unsubscribe();
    clearTimeout(timer);
    options.signal.removeEventListener("abort", onAbort);
  }
}
