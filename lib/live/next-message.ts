import type { Db } from "@/db/client";
import type { Message } from "@/lib/inbox/message";
import { messagesAfter, newestMessageId } from "@/lib/inbox/messages";
import { liveInboxes } from "./inboxes";
import { waitForMessage, type WaitFilter } from "./wait";

// Messages read per query while looking for an earlier match (an old cursor may have many after it).
const WAIT_PAGE = 500;

/**
 * A number's first message after `after` (default: the newest now, i.e. the next one) that matches the filter,
 * waiting for it up to the timeout; null on timeout or when the caller gives up. What the wait route and the MCP
 * server's wait_for_code both answer with. Returns the cursor used too: the one to wait again with after a timeout.
 */
export async function nextMessage(
  db: Db,
  number: string,
  options: { filter: WaitFilter; after?: number; timeoutMs: number; signal: AbortSignal },
): Promise<{ message: Message | null; after: number }> {
  const after = options.after ?? (await newestMessageId(db, number));
  const message = await waitForMessage({
    number,
    filter: options.filter,
    live: liveInboxes,
    after,
    stored: (cursor) => messagesAfter(db, number, cursor, WAIT_PAGE),
    pageSize: WAIT_PAGE,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
  });
  return { message, after };
}
