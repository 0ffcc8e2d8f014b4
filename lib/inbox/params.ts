import { AppError } from "@/lib/errors";
import { e164 } from "@/lib/text/phone";

/** The `{number}` of a URL: E.164 with or without "+", as digits. "998940373339" → "+998940373339". */
export function parseNumberParam(raw: string): string | null {
  return e164(safeDecode(raw).trim());
}

function safeDecode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** An integer query parameter of the admin API within bounds, or a 400 naming the parameter and its bounds. */
export function parseIntParam(name: string, raw: string | null, fallback: number, min: number, max: number): number {
  if (raw === null || raw === "") return fallback;
  const value = Number(raw);
  if (!/^\d{1,9}$/.test(raw) || value < min || value > max) {
    throw new AppError("invalid_parameter", `'${name}' must be an integer from ${min} to ${max}.`);
  }
  return value;
}

/** The number named in an API path, which must be one of ours: 400 when it is not a number at all, else 404. */
export function requireNumberParam(raw: string): string {
  const number = parseNumberParam(raw);
  if (!number) throw new AppError("invalid_number_param", "The number must be in E.164 form, with or without '+'.");
  return number;
}

export function unknownNumber(number: string): AppError {
  return new AppError("unknown_number", `${number} is not one of our numbers.`);
}
