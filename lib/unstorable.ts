import { AppError } from "./errors";

/**
 * Text the database cannot hold: Postgres text and jsonb refuse U+0000, and jsonb an unpaired UTF-16 surrogate
 * too (JSON.stringify writes it as a lone "\ud800" escape). Either refuses the whole row, so such text that got
 * that far would turn the client's mistake into our 500. Input carrying it is refused, naming the field; what we
 * keep whatever it holds (the quarantine) has it escaped.
 */

export type Unstorable = { field: string; problem: string };

/**
 * The first string (or field name) in a parsed JSON value that cannot be stored, named as parseInput names fields
 * ("note", "config.x", "messages.0.to", "body" for the whole); null if there is none.
 */
export function unstorableField(value: unknown): Unstorable | null {
  // Breadth first through a list, each entry pointing at its parent rather than copying a path: a JSON document
  // may nest deeper than the call stack goes, and the walk stays linear in the document's size.
  const pending: Entry[] = [{ value, key: null, parent: null }];
  for (let i = 0; i < pending.length; i++) {
    const entry = pending[i]!;
    if (typeof entry.value === "string") {
      const problem = problemOf(entry.value);
      if (problem) return { field: nameOf(entry), problem };
    } else if (typeof entry.value === "object" && entry.value !== null) {
      for (const [key, child] of Object.entries(entry.value)) {
        // A field's name that cannot be stored: the object holding it is what is wrong.
        const problem = problemOf(key);
        if (problem) return { field: nameOf(entry), problem: `has a field name that ${problem}` };
        pending.push({ value: child, key, parent: entry });
      }
    }
  }
  return null;
}

/** Throws 422 invalid_fields naming the field that cannot be stored, and why. */
export function refuseUnstorable(value: unknown): void {
  const found = unstorableField(value);
  if (found) throw new AppError("invalid_fields", `${found.field}: ${found.problem}.`);
}

/** The text with each NUL written out as the six characters `\u0000` and unpaired surrogates as U+FFFD. */
export function storable(text: string): string {
  return text.replaceAll("\0", "\\u0000").toWellFormed();
}

function problemOf(text: string): string | null {
  if (text.includes("\0")) return "contains a NUL character";
  if (!text.isWellFormed()) return "contains an unpaired UTF-16 surrogate";
  return null;
}

type Entry = { value: unknown; key: string | null; parent: Entry | null };

function nameOf(entry: Entry): string {
  const keys: string[] = [];
  for (let e: Entry | null = entry; e && e.key !== null; e = e.parent) keys.push(e.key);
  const name = keys.reverse().join(".") || "body";
  // A path through a deeply nested document is named by its end.
  return name.length > 120 ? `…${name.slice(-120)}` : name;
}
