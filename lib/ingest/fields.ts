/** Reading values out of a parsed body (a JSON document, form fields) that adapters share. */

/** A JSON object: not null, not an array. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A JSON value at a path of objects (`at(body, "payload", "sender", "contact")`), or undefined. */
export function at(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const key of path) {
    if (!isObject(v)) return undefined;
    v = v[key];
  }
  return v;
}

/** A form field's count ("2"; up to four digits, no sign or space): a positive integer, or null. */
export function positiveInteger(value: string | undefined): number | null {
  return value !== undefined && /^\d{1,4}$/.test(value) && Number(value) > 0 ? Number(value) : null;
}
