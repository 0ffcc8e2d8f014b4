import { AppError } from "@/lib/errors";
import type { InboundMessage, ValidMessage } from "./message";

// A concatenated SMS is at most 255 parts of 153 GSM-7 characters: ~39 000 characters.
export const MAX_TEXT_LENGTH = 40_000;
const MAX_SENDER_LENGTH = 32;
const MAX_SOURCE_KEY_LENGTH = 200;

// C0/C1 control characters other than tab/newline/CR never occur in a real sender address.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/**
 * Checks one message against what we can store and show. `recipients` maps our numbers (E.164) of this
 * gateway to whether they accept messages. `where` names the message in a batch ("messages[3]: …").
 */
export function validateMessage(m: InboundMessage, recipients: Map<string, boolean>, where = ""): ValidMessage {
  const fail = (code: string, detail: string) => new AppError(422, code, `${where}${detail}`);

  if (m.from === undefined || m.from === null || (typeof m.from === "string" && m.from.trim() === "")) {
    throw fail("missing_sender", "'from' is required: the sender's number, short code or name.");
  }
  if (typeof m.from !== "string") throw fail("invalid_sender", "'from' must be a string.");
  const from = m.from.trim();
  if (from.length > MAX_SENDER_LENGTH || CONTROL.test(from) || !from.isWellFormed()) {
    throw fail("invalid_sender", `'from' is not a plausible sender (at most ${MAX_SENDER_LENGTH} printable characters).`);
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

  if (m.to === undefined || m.to === null || m.to === "") {
    throw fail("missing_recipient", "'to' is required: which of our numbers received the message.");
  }
  if (typeof m.to !== "string") throw fail("unknown_recipient", "'to' must be a string.");
  const to = toE164(m.to);
  if (!to || !recipients.has(to)) {
    throw fail("unknown_recipient", `'to' (${m.to.slice(0, 32)}) is not one of this gateway's numbers.`);
  }
  if (!recipients.get(to)) {
    throw fail("unknown_recipient", `${to} is not active (paused or retired) and does not accept messages.`);
  }

  let receivedAt: Date | null = null;
  if (m.receivedAt !== undefined && m.receivedAt !== null) {
    receivedAt = typeof m.receivedAt === "string" ? parseIsoDate(m.receivedAt) : null;
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
    if (sourceKey.length === 0 || sourceKey.length > MAX_SOURCE_KEY_LENGTH || !sourceKey.isWellFormed()) {
      throw fail("invalid_id", `'id' must be 1 to ${MAX_SOURCE_KEY_LENGTH} characters.`);
    }
  }

  return { to, from, text: m.text, receivedAt, sourceKey };
}

/** "+998 94 037-33-39", "998940373339" → "+998940373339"; anything that is not a phone number → null. */
function toE164(value: string): string | null {
  const digits = value.trim().replace(/[\s().-]/g, "").replace(/^\+/, "");
  return /^[1-9]\d{5,14}$/.test(digits) ? `+${digits}` : null;
}

// ISO 8601 with a time; a date without a zone is taken as UTC rather than the server's local time.
const ISO = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

function parseIsoDate(value: string): Date | null {
  const v = value.trim();
  if (!ISO.test(v)) return null;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(v);
  const date = new Date(hasZone ? v : `${v}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}
