import type { ErrorKey } from "@/lib/error-codes";
import { AppError } from "@/lib/errors";
import { toE164 } from "@/lib/text/phone";
import type { InboundMessage, MessagePart, ValidMessage } from "./message";
import { parseIsoTimestamp } from "./time";

/** One of the gateway's numbers, as validation needs it. */
export type Recipient = { number: string; active: boolean; sim: number | null };

// A concatenated SMS is at most 255 parts of 153 GSM-7 characters: ~39 000 characters.
export const MAX_TEXT_LENGTH = 40_000;
const MAX_SENDER_LENGTH = 32;
const MAX_SOURCE_KEY_LENGTH = 200;

// C0/C1 control characters other than tab/newline/CR never occur in a real sender address.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/**
 * Checks one message against what we can store and show. `recipients` are this gateway's numbers.
 * `where` names the message in a batch ("messages[3]: …").
 */
export function validateMessage(m: InboundMessage, recipients: Recipient[], where = ""): ValidMessage {
  const fail = (key: ErrorKey, detail: string) => new AppError(key, `${where}${detail}`);

  if (m.from === undefined || m.from === null || (typeof m.from === "string" && m.from.trim() === "")) {
    throw fail("missing_sender", "'from' is required: the sender's number, short code or name.");
  }
  if (typeof m.from !== "string") throw fail("invalid_sender", "'from' must be a string.");
  if (m.from.includes("\u0000")) throw fail("invalid_sender", "'from' contains a NUL character.");
  const from = m.from.trim();
  if (from.length > MAX_SENDER_LENGTH || CONTROL.test(from) || !from.isWellFormed()) {
    throw fail(
      "invalid_sender",
      `'from' is not a plausible sender (at most ${MAX_SENDER_LENGTH} printable characters).`,
    );
  }
  if (/^\+?\d+$/.test(from) && from.replace("+", "").length > 20) {
    throw fail("invalid_sender", "'from' has more digits than any phone number.");
  }

  if (m.text === undefined || m.text === null) throw fail("missing_text", "'text' is required (it may be empty).");
  if (typeof m.text !== "string") throw fail("invalid_text", "'text' must be a string.");
  if (m.text.includes("\u0000")) throw fail("invalid_text", "'text' contains a NUL character.");
  if (!m.text.isWellFormed()) throw fail("invalid_text", "'text' contains an unpaired UTF-16 surrogate.");
  if (m.text.length > MAX_TEXT_LENGTH) {
    throw fail("invalid_text", `'text' is longer than ${MAX_TEXT_LENGTH} characters.`);
  }

  const to = resolveRecipient(m, recipients, (detail) => fail("unknown_recipient", detail));
  if (!to.active) {
    throw fail("unknown_recipient", `${to.number} is not active (paused or retired) and does not accept messages.`);
  }

  let receivedAt: Date | null = null;
  if (m.receivedAt instanceof Date) {
    receivedAt = Number.isNaN(m.receivedAt.getTime()) ? null : m.receivedAt;
  } else if (m.receivedAt !== undefined && m.receivedAt !== null) {
    // Only our own format passes a string: its clients are told when it is not ISO 8601.
    receivedAt = parseIsoTimestamp(m.receivedAt);
    if (!receivedAt) {
      throw fail("invalid_received_at", "'receivedAt' must be an ISO 8601 date-time, e.g. 2026-11-22T10:00:00Z.");
    }
  }

  let sourceKey: string | null = null;
  if (m.sourceKey !== undefined && m.sourceKey !== null) {
    if (typeof m.sourceKey !== "string" && typeof m.sourceKey !== "number") {
      throw fail("invalid_id", "'id' must be a string.");
    }
    sourceKey = String(m.sourceKey);
    // Postgres text cannot hold a NUL: the key would fail the insert, not find an earlier message.
    if (sourceKey.includes("\u0000")) throw fail("invalid_id", "'id' contains a NUL character.");
    if (sourceKey.length === 0 || sourceKey.length > MAX_SOURCE_KEY_LENGTH || !sourceKey.isWellFormed()) {
      throw fail("invalid_id", `'id' must be 1 to ${MAX_SOURCE_KEY_LENGTH} characters.`);
    }
  }

  const part = m.part ? validatePart(m.part, (detail) => fail("bad_concat_metadata", detail)) : null;
  const segments = typeof m.segments === "number" && Number.isInteger(m.segments) && m.segments > 0 ? m.segments : null;
  return { to: to.number, from, text: m.text, receivedAt, sourceKey, segments, part };
}

/**
 * Which of the gateway's numbers received the message: the one named in `to`; else, for sources that do not
 * say (Android apps, Gammu, SMSTools), the one in the SIM slot named by `sim`, or the gateway's only number.
 */
function resolveRecipient(m: InboundMessage, recipients: Recipient[], fail: (detail: string) => AppError): Recipient {
  if (m.to !== undefined && m.to !== null && m.to !== "") {
    if (typeof m.to !== "string") throw fail("'to' must be a string.");
    // Said without quoting it: the detail is stored with the refused request, and is best kept printable.
    if (m.to.includes("\u0000")) throw fail("'to' contains a NUL character.");
    const number = toE164(m.to);
    const found = number && recipients.find((r) => r.number === number);
    if (!found) throw fail(`'to' (${m.to.slice(0, 32)}) is not one of this gateway's numbers.`);
    return found;
  }
  if (m.sim !== undefined && m.sim !== null) {
    const found = recipients.find((r) => r.sim === m.sim);
    if (found) return found;
    if (recipients.length === 1 && recipients[0]!.sim === null) return recipients[0]!;
    throw fail(`No number of this gateway is in SIM slot ${m.sim}: set 'sim' on the number (admin API).`);
  }
  if (recipients.length === 1) return recipients[0]!;
  throw fail(
    recipients.length === 0
      ? "This gateway has no numbers yet: add one with the admin API."
      : "The message does not say which of this gateway's numbers received it ('to' or a SIM slot).",
  );
}

function validatePart(part: MessagePart, fail: (detail: string) => AppError): MessagePart {
  const { ref, part: n, total } = part;
  if (typeof ref !== "string" || ref.length === 0 || ref.length > 64)
    throw fail("The concatenation reference is missing.");
  if (ref.includes("\u0000")) throw fail("The concatenation reference contains a NUL character.");
  if (!Number.isInteger(total) || total < 2 || total > 255)
    throw fail(`A concatenated SMS has 2 to 255 parts, not ${total}.`);
  if (!Number.isInteger(n) || n < 1 || n > total) throw fail(`Part ${n} of ${total} is impossible.`);
  return part;
}
