/**
 * Errors as they may be written to the server log. drizzle puts a failed query's parameters in the error message
 * ("Failed query: insert into gateways …\nparams: modem-1,<signing secret>,…"): a database hiccup while storing
 * a gateway would print its secret, and one while storing a message the text and the key hash. The log gets
 * what failed and why (the query, the driver's reason and code, the stack), never the values.
 */
export function describeError(error: unknown, { stack = true }: { stack?: boolean } = {}): string {
  const lines: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (!(e instanceof Error)) {
      lines.push(depth === 0 ? `thrown: ${typeof e}` : `cause: ${typeof e}`);
      break;
    }
    const code = (e as { code?: unknown }).code;
    const head = `${depth === 0 ? "" : "cause: "}${e.name}: ${withoutParameters(e.message)}${typeof code === "string" ? ` [${code}]` : ""}`;
    const frames = stack && depth === 0 ? (e.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line)) : [];
    lines.push(head, ...frames);
    e = e.cause;
  }
  return lines.join("\n");
}

function withoutParameters(message: string): string {
  return message.replace(/\nparams:[\s\S]*$/, "\nparams: [not logged]");
}
