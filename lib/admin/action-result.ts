import { AppError } from "@/lib/errors";

/**
 * What an admin screen's form shows after it was sent: a sentence, and — once only, right after a gateway was
 * created or rotated — the secrets to copy (never stored anywhere the page could show them again).
 * `detail` is anything else to show with it (the setup guide of a new gateway).
 */
export type ActionResult<Detail = unknown> =
  | { ok: true; message: string; secrets?: { label: string; value: string }[]; detail?: Detail }
  | { ok: false; message: string };

/**
 * A refused edit (bad input, a duplicate, an unknown id): the same sentence the admin API answers with its 4xx.
 * Anything else is our failure and is thrown on, to the error page and the log, never shown as a reason.
 */
export function refusedBecause(error: unknown): ActionResult<never> {
  if (error instanceof AppError) return { ok: false, message: error.detail };
  throw error;
}
