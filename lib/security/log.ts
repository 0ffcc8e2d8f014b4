/**
 * Errors as they may be written to the server log: every place that logs an error describes it with this. drizzle
 * puts a failed query's parameters in the error message ("Failed query: insert into gateways …\nparams:
 * modem-1,<signing secret>,…"): a database hiccup while storing a gateway would print its secret, and one while
 * storing a message the text and the key hash; Postgres quotes a value it cannot read in its reason (`invalid
 * input syntax for type integer: "<value>"`) and names it in its `detail` (`Key (id)=(<value>) already exists`).
 * The log gets what failed and why (the query, the driver's reason, code and constraint, the stack), never the
 * values.
 */
export function describeError(error: unknown, { stack = true }: { stack?: boolean } = {}): string {
  const lines: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (!(e instanceof Error)) {
      lines.push(depth === 0 ? `thrown: ${typeof e}` : `cause: ${typeof e}`);
      break;
    }
    const { code, severity, constraint, constraint_name } = e as Error & Partial<Record<string, unknown>>;
    const constraintName = constraint_name ?? constraint; // postgres.js names it constraint_name, PGlite constraint
    // Postgres's own errors by their shape: bundling renames postgres.js's class ("d"), PGlite calls it "error".
    const name = typeof severity === "string" && typeof code === "string" ? "PostgresError" : e.name;
    const head =
      `${depth === 0 ? "" : "cause: "}${name}: ${withoutValues(e.message, code)}` +
      `${typeof code === "string" ? ` [${code}]` : ""}` +
      `${typeof constraintName === "string" ? ` (constraint ${constraintName})` : ""}`;
    const frames = stack && depth === 0 ? (e.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line)) : [];
    lines.push(head, ...frames);
    e = e.cause;
  }
  return lines.join("\n");
}

function withoutValues(message: string, code: unknown): string {
  const withoutParameters = message.replace(/\nparams:[\s\S]*$/, "\nparams: [not logged]");
  // SQLSTATE class 22 (data exception: bad syntax for a type, out of range…) quotes the offending value.
  return typeof code === "string" && /^22[0-9A-Z]{3}$/.test(code)
    ? withoutParameters.replace(/"[^"]*"/g, '"[not logged]"')
    : withoutParameters;
}

/**
 * Errors that reach the console without passing through describeError — Next logs a page's render error itself,
 * query and parameters included — are described on the way: an Error given to `error` or `warn` is logged as
 * describeError writes it. Installed once, at start.
 */
export function describeErrorsLoggedTo(target: Pick<Console, "error" | "warn">): void {
  const marked = target as typeof target & { __numboxDescribed?: boolean };
  if (marked.__numboxDescribed) return;
  marked.__numboxDescribed = true;
  for (const level of ["error", "warn"] as const) {
    const write = target[level].bind(target);
    target[level] = (...args: unknown[]) =>
      write(...args.map((arg) => (arg instanceof Error ? describeError(arg) : arg)));
  }
}
