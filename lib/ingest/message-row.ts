import type { messages } from "@/db/schema";
import { serviceOf } from "@/lib/services/service";
import { extractCode } from "@/lib/text/otp";
import { contentHash } from "./hash";

/** A message about to be stored: its text as it was sent, and as the public sees it (after redaction). */
export type Arrival = {
  number: string;
  gatewayId: string;
  sourceKey: string | null;
  sender: string;
  sent: string;
  shown: string;
  segments: number | null;
  incomplete?: boolean;
  receivedAt: Date;
  createdAt?: Date;
};

export type NewMessageRow = typeof messages.$inferInsert & {
  contentHash: string;
  code: string | null;
  service: string | null;
  receivedAt: Date;
};

/**
 * A message's row, made here for every writer (the store, joined parts, the demo seed). The content hash is of the
 * text as sent, so that a retry is recognised whatever the redaction rules were in between; the code and the
 * service are taken from the text as shown, so that a hidden code stays hidden.
 */
export function messageRow(a: Arrival): NewMessageRow {
  return {
    number: a.number,
    gatewayId: a.gatewayId,
    sourceKey: a.sourceKey,
    contentHash: contentHash(a.number, a.sender, a.sent),
    sender: a.sender,
    text: a.shown,
    code: extractCode(a.shown),
    service: serviceOf(a.sender, a.shown),
    segments: a.segments,
    ...(a.incomplete !== undefined ? { incomplete: a.incomplete } : {}),
    receivedAt: a.receivedAt,
    ...(a.createdAt ? { createdAt: a.createdAt } : {}),
  };
}
