import { AppError } from "@/lib/errors";

/**
 * A public API route's query string, checked against the parameters it takes: a parameter it does not take is a
 * 400 `unknown_parameter` naming it (a misspelt `?form=Google` silently ignored would answer every message, and
 * the tester would never know), and one given twice a 400 `ambiguous_parameter` (which one would count?).
 * Returns the parameters, each at most once.
 */
export function checkedQuery(query: URLSearchParams, takes: readonly string[]): URLSearchParams {
  const seen = new Set<string>();
  for (const name of query.keys()) {
    if (!takes.includes(name)) {
      const known = takes.length === 0 ? "It takes none." : `It takes ${takes.map((t) => `'${t}'`).join(", ")}.`;
      throw new AppError(
        "unknown_parameter",
        `This endpoint does not take the parameter '${printable(name)}'. ${known}`,
      );
    }
    if (seen.has(name)) throw new AppError("ambiguous_parameter", `The parameter '${name}' is given more than once.`);
    seen.add(name);
  }
  return query;
}

// A name a client sent, fit to quote in a sentence: control characters escaped, at most 60 characters.
function printable(name: string): string {
  const shown = name.replace(/\p{Cc}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return shown.length > 60 ? `${shown.slice(0, 60)}…` : shown.toWellFormed();
}
