import { sql, type Placeholder, type SQL } from "drizzle-orm";

/**
 * A list of values as ONE parameter, `{"a","b",NULL}` sent as text and cast to `type` by the database: a statement
 * takes any number of rows with the same text, so it is parsed and planned once and can be prepared (a VALUES
 * list of a 100-message batch was 1,000 parameters, parsed and planned on every request). Written here rather
 * than left to the drivers: postgres.js serialises arrays only with the array types it looks up after connecting,
 * which db/postgres.ts turns off, and PGlite's serialisers would then differ from it.
 */
export function arrayParam(values: readonly (string | number | null)[] | Placeholder, type: string): SQL {
  // A placeholder (a prepared statement's, db/client.ts) is given its value, arrayLiteral(values), at each run.
  return sql`${Array.isArray(values) ? arrayLiteral(values) : values}::text::${sql.raw(type)}[]`;
}

/** Postgres's array literal: every element quoted, `"` and `\` escaped with `\`; null as NULL, unquoted. */
export function arrayLiteral(values: readonly (string | number | null)[]): string {
  return `{${values.map((v) => (v === null ? "NULL" : `"${String(v).replace(/["\\]/g, "\\$&")}"`)).join(",")}}`;
}
