import type { MessageRow } from "@/db/schema";
import { NOT_CLASSIFIED } from "@/lib/services/service";
import { splitLinks } from "@/lib/text/links";

/** A link in a message's text that is safe to follow (lib/text/links.ts): as written, and where it goes. */
export type MessageLink = { href: string; text: string };

/** A message as the public API, the stream and the pages see it. */
export type Message = {
  id: number;
  number: string;
  from: string;
  text: string;
  code: string | null;
  // The service that sent it (`google`; lib/services), or null when nothing says.
  service: string | null;
  // The safe links in the text, in order, as the page makes them clickable (Mailosaur's API has the same).
  links: MessageLink[];
  receivedAt: string;
  createdAt: string;
  // True when a long message was shown after its missing parts stopped being waited for.
  incomplete: boolean;
};

type Stored = Pick<
  MessageRow,
  "id" | "number" | "sender" | "text" | "code" | "service" | "receivedAt" | "createdAt" | "incomplete"
>;

/**
 * A stored message as the public sees it. Its links are found here, when it is read, not stored: the rules of
 * what is safe to link may tighten, and a stored list would keep links the new rules refuse.
 */
export function messageOf(row: Stored): Message {
  return {
    id: row.id,
    number: row.number,
    from: row.sender,
    text: row.text,
    code: row.code,
    service: row.service === NOT_CLASSIFIED ? null : row.service,
    links: splitLinks(row.text).flatMap((part) => (part.kind === "link" ? [{ href: part.href, text: part.text }] : [])),
    receivedAt: row.receivedAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    incomplete: row.incomplete,
  };
}

export function toMessage(row: MessageRow): Message {
  return messageOf(row);
}
