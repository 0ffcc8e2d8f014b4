import type { MessageRow } from "@/db/schema";

/** A message as the public API, the stream and the pages see it. */
export type Message = {
  id: number;
  number: string;
  from: string;
  text: string;
  code: string | null;
  receivedAt: string;
  createdAt: string;
  // True when a long message was shown after its missing parts stopped being waited for.
  incomplete: boolean;
};

export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    number: row.number,
    from: row.sender,
    text: row.text,
    code: row.code,
    receivedAt: row.receivedAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    incomplete: row.incomplete,
  };
}
