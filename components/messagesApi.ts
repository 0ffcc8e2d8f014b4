import type { MessagePage } from "@/lib/inbox/messages";

export const PAGE_SIZE = 30;

/** One page of an inbox from the public API, older than `before` (or the newest page when null). */
export async function fetchMessagePage(
  digits: string,
  before: number | null,
  signal?: AbortSignal,
): Promise<MessagePage> {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (before !== null) query.set("before", String(before));
  const response = await fetch(`/api/v1/numbers/${digits}/messages?${query}`, { signal });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { detail?: string } | null;
    throw new Error(body?.detail ?? `The server answered ${response.status}.`);
  }
  return (await response.json()) as MessagePage;
}
