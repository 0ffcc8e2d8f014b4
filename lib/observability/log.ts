import { format } from "node:util";
import pino, { type Logger } from "pino";
import { LOG_LEVELS } from "@/lib/config";
import { processWide } from "@/lib/process-wide";
import { describeErrorsLoggedTo } from "@/lib/security/log";

/**
 * The process's logger (pino): one JSON object per line on stdout in production, for a log shipper; readable
 * lines under `npm run dev` (pino-pretty, a development dependency). Level from LOG_LEVEL (lib/config.ts checks
 * it at start; read here straight from the environment, because the logger must work before — and when — the
 * configuration fails). What is logged never carries a key, token, signature or message text: callers pass
 * fields they chose, and errors go through describeError first (lib/security/log.ts).
 */
export function log(): Logger {
  return processWide("log", create);
}

function create(): Logger {
  const wanted = process.env.LOG_LEVEL?.trim();
  const level = LOG_LEVELS.find((l) => l === wanted) ?? "info";
  const options = { level, base: { pid: process.pid } };
  // Written asynchronously: pino's default stdout destination writes each line with a blocking write() on the
  // server's one thread, which cost single-message ingest on the embedded database a third of its rate (one
  // access line per request; BENCHMARKS.md). Lines that come while a write is in flight go out with the next one;
  // pino flushes what is left when the process exits.
  if (process.env.NODE_ENV !== "development") return pino(options, pino.destination({ dest: 1, sync: false }));
  // pino-pretty in its worker, by name: Next leaves pino and pino-pretty unbundled, so the worker finds it.
  return pino({ ...options, transport: { target: "pino-pretty", options: { ignore: "pid,hostname" } } });
}

/**
 * Makes console.* of any code in the process — Next's own messages, a library's — lines of this log, each Error
 * described, never dumped (describeErrorsLoggedTo: a failed query's error carries its parameters). Once per
 * process, at start.
 */
export function sendConsoleToLog(): void {
  const marked = console as Console & { __numboxLogged?: boolean };
  if (marked.__numboxLogged) return;
  marked.__numboxLogged = true;
  console.error = (...args: unknown[]) => log().error(format(...args));
  console.warn = (...args: unknown[]) => log().warn(format(...args));
  console.info = console.log = (...args: unknown[]) => log().info(format(...args));
  describeErrorsLoggedTo(console);
}
