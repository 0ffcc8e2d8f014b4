import { errorOf, type ErrorKey } from "./error-codes";

/**
 * An error meant for the client: a status, a machine-readable code and a human sentence.
 * Anything else thrown is ours, and never shown to the client.
 */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;

  /** `key`: the error's entry in the catalogue (lib/error-codes.ts), which gives its code and status. */
  constructor(
    readonly key: ErrorKey,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = "AppError";
    ({ code: this.code, status: this.status } = errorOf(key));
  }
}

// postgres.js connection failures, Node socket errors, our own deadline (db/postgres.ts), and the server-side
// codes that mean "not now, try again": nothing the client sent is wrong.
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "DATABASE_DEADLINE",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, shutting down)
  "57014", // query_canceled: our statement_timeout
  "55P03", // lock_not_available
  "25P03", // idle_in_transaction_session_timeout
  "40001", // serialization_failure: the same request succeeds when retried
  "40P01", // deadlock_detected: likewise
]);
// Whole classes: 08 connection exceptions, 53 insufficient resources (too many connections, disk full, out of
// memory).
const UNAVAILABLE_CLASSES = ["08", "53"];

/** True when the database could not be reached: the client should retry later (503), it did nothing wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e.name === "DatabaseLockedError") return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (UNAVAILABLE_CODES.has(code) || UNAVAILABLE_CLASSES.includes(code.slice(0, 2)))) {
      return true;
    }
    if (e instanceof AggregateError && e.errors.some(isDatabaseUnavailable)) return true;
  }
  return false;
}
