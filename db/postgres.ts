import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import { describeError } from "@/lib/security/log";
import type { Db } from "./db";
import * as schema from "./schema";

/**
 * The Postgres connection pool, made to survive a database restart or crash. postgres.js 3.4.9 (the newest
 * release) does not, on its own:
 *
 * - A pooled connection whose socket dies while a small write is still buffered keeps a stale write timer
 *   (the close clears the timer but not the variable that says one is pending) and never flushes again: every
 *   later connect on it sends no startup message and ends in CONNECT_TIMEOUT. Requests hung for the connect
 *   timeout, then failed, for minutes.
 * - When a connection dies inside `sql.begin`, postgres.js still sends ROLLBACK on it after the socket is gone:
 *   an uncaught `TypeError: Cannot read properties of null (reading 'write')` from a timer (porsager/postgres
 *   #1208; fixes proposed in #1209 and #1215, not released).
 * - A query can wait without any bound: behind connections that are reconnecting (their backoff grows to 20 s),
 *   on a socket that died without a word, or when the server closes during startup (#1193).
 *
 * So: timeouts on connecting and on every statement; on the first sign of a lost connection, the whole pool is
 * replaced by a new one (the old one is ended, so none of its connections is ever reused); a transaction whose
 * connection is lost is not rolled back on it (the server rolls it back when the socket closes); and every
 * query and transaction has a client-side deadline. Remove this when postgres.js fixes the issues above.
 */

// Connecting to a healthy Postgres takes milliseconds; 5 s also covers a busy one (the default is 30 s).
const CONNECT_TIMEOUT_S = 5;
// Server side: no statement of ours needs more; one that does is stuck behind a lock or an overloaded server.
const STATEMENT_TIMEOUT_MS = 10_000;
// Client side: a query or a whole transaction, queueing for a connection included. Above the statement timeout,
// so that a slow statement fails with the server's reason; this catches what the server cannot see.
const DEADLINE_MS = 15_000;
// Idle connections are closed after a minute, so a quiet instance does not hold server slots.
const IDLE_TIMEOUT_S = 60;
// Reconnection delays (seconds) grow with failures but stay short: Postgres back means served again within a
// second (the default grows to 20 s, which requests would spend waiting).
const backoff = (retries: number) => Math.min(0.05 * 2 ** retries, 1);
// A replaced pool's queries in flight get this long to finish before its connections are closed.
const RETIRE_GRACE_S = 5;
// A pool younger than this is not replaced again: errors from a server that accepts and drops every connection
// must not create pools in a loop.
const MIN_POOL_AGE_MS = 1000;

/** Our own error for a query or transaction that passed its deadline; the routes answer it with 503. */
export class DatabaseDeadlineError extends Error {
  readonly code = "DATABASE_DEADLINE";
  constructor() {
    super(`the database did not answer within ${DEADLINE_MS / 1000} s`);
    this.name = "DatabaseDeadlineError";
  }
}

// Errors that mean the connection is gone (or, for CONNECT_TIMEOUT, may be one of the stuck ones).
const LOST_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "DATABASE_DEADLINE",
  "57P01", // admin_shutdown: pg_ctl stop/restart -m fast, pg_terminate_backend
  "57P02", // crash_shutdown
]);

export function isConnectionLost(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (LOST_CODES.has(code) || code.startsWith("08"))) return true;
  }
  return false;
}

type Generation = { sql: postgres.Sql; db: Db; born: number };
type Listener = { channel: string; onPayload: (payload: string) => void; onListen: () => void };

export type PostgresPool = {
  /** Always the current pool's database: safe to keep across replacements. */
  db: Db;
  /**
   * LISTEN on a channel; the listener is carried over to every new pool. `onListen` runs each time the LISTEN is
   * (re)established: what was sent while it was down is lost.
   */
  listen(channel: string, onPayload: (payload: string) => void, onListen: () => void): Promise<void>;
  close(): Promise<void>;
};

export function openPostgresPool(url: string): PostgresPool {
  const listeners: Listener[] = [];
  let closing = false;
  let current = create();

  function create(): Generation {
    const sql = postgres(url, {
      onnotice: () => {},
      connect_timeout: CONNECT_TIMEOUT_S,
      idle_timeout: IDLE_TIMEOUT_S,
      backoff,
      // postgres.js looks array types up after every connect without awaiting it: a connection lost meanwhile
      // is an unhandled rejection. drizzle parses and serialises our array columns itself.
      fetch_types: false,
      connection: { statement_timeout: STATEMENT_TIMEOUT_MS },
    });
    const generation = { sql, born: Date.now() } as Generation;
    generation.db = drizzle(
      guarded(sql, (error) => replace(generation, error)),
      { schema },
    );
    return generation;
  }

  function replace(lost: Generation, error: unknown) {
    if (closing || lost !== current || Date.now() - lost.born < MIN_POOL_AGE_MS) return;
    console.error("database connection lost; starting a new connection pool:", describeError(error, { stack: false }));
    current = create();
    for (const { channel, onPayload, onListen } of listeners) {
      // postgres.js retries a failed LISTEN by itself while the server is away.
      current.sql.listen(channel, onPayload, onListen).catch(() => {});
    }
    lost.sql.end({ timeout: RETIRE_GRACE_S }).catch(() => {});
  }

  // The public database forwards to whichever pool is current, so code that kept it (a live stream, a job)
  // uses the new pool after a replacement.
  const db = new Proxy({} as Db, {
    get(_, property) {
      const target = current.db;
      const value: unknown = Reflect.get(target, property, target);
      // $client is a function too (postgres.js's sql), but a bound copy of it lacks its options.
      return typeof value === "function" && property !== "$client" ? value.bind(target) : value;
    },
  });

  return {
    db,
    async listen(channel, onPayload, onListen) {
      listeners.push({ channel, onPayload, onListen });
      await current.sql.listen(channel, onPayload, onListen);
    },
    async close() {
      closing = true;
      await current.sql.end({ timeout: RETIRE_GRACE_S });
    },
  };
}

/**
 * The client as drizzle sees it: every query and transaction bounded by the deadline, lost connections
 * reported, and transactions guarded against postgres.js's ROLLBACK on a dead connection.
 */
function guarded(sql: postgres.Sql, onLost: (error: unknown) => void): postgres.Sql {
  return new Proxy(sql, {
    get(target, property, receiver) {
      if (property === "unsafe") {
        return (...args: Parameters<postgres.Sql["unsafe"]>) => bounded(target.unsafe(...args), onLost);
      }
      if (property === "begin") return (...args: unknown[]) => transaction(target, args, onLost);
      return Reflect.get(target, property, receiver);
    },
  });
}

/**
 * The same query object (drizzle calls `.values()` on it, and it runs only once awaited), whose result comes
 * within the deadline.
 */
function bounded<Q extends PromiseLike<unknown>>(query: Q, onLost: (error: unknown) => void): Q {
  const run = query.then.bind(query);
  let result: Promise<unknown> | undefined;
  Object.defineProperty(query, "then", {
    value: (onFulfilled?: (value: unknown) => unknown, onRejected?: (reason: unknown) => unknown) => {
      result ??= withinDeadline(new Promise((resolve, reject) => run(resolve, reject)), onLost);
      return result.then(onFulfilled, onRejected);
    },
  });
  return query;
}

function transaction(sql: postgres.Sql, args: unknown[], onLost: (error: unknown) => void): Promise<unknown> {
  const work = args[args.length - 1] as (tx: postgres.TransactionSql) => Promise<unknown>;
  const guardedWork = async (tx: postgres.TransactionSql) => {
    try {
      return await work(tx);
    } catch (error) {
      // Rethrowing would make postgres.js send ROLLBACK on the closed connection (see above). Left pending,
      // the transaction fails all the same: postgres.js rejects it when the connection closes, and the
      // deadline is there if it does not.
      if (isConnectionLost(error)) return new Promise(() => {});
      throw error;
    }
  };
  const begun = args.length > 1 ? sql.begin(args[0] as string, guardedWork) : sql.begin(guardedWork);
  return withinDeadline(begun, onLost);
}

function withinDeadline<T>(work: Promise<T>, onLost: (error: unknown) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      const error = new DatabaseDeadlineError();
      onLost(error);
      reject(error);
    }, DEADLINE_MS);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (isConnectionLost(error)) onLost(error);
        reject(error);
      },
    );
  });
}
