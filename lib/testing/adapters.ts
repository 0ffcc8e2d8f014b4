import { afterAll, beforeAll } from "vitest";
import { openDatabase, type Database, type Db } from "@/db/client";
import { createGateway } from "@/lib/admin/gateways";
import { createNumber } from "@/lib/admin/numbers";
import { AppError } from "@/lib/errors";
import { toErrorResponse } from "@/lib/http";
import { listMessages } from "@/lib/inbox/messages";
import { ingest, type IngestLimits } from "@/lib/ingest/ingest";
import type { GatewayKind } from "@/lib/ingest/kinds";
import { toInboundRequest, type InboundRequest } from "@/lib/ingest/request";

// Room enough for every test request (a long concatenated SMS, a batch); the limits themselves are tested in ingest.
const MAX_BODY_BYTES = 262_144;
const MAX_URL_LENGTH = 65_536;

/**
 * The real pipeline over an in-memory PGlite database, for one `describe` block of an adapter's tests: opened
 * before its tests (`setup` creates the gateways and numbers), closed after them.
 */
export function pipelineDatabase(publicUrl: string, setup: (db: Db) => Promise<void> = async () => {}) {
  let database: Database | undefined;
  beforeAll(async () => {
    database = await openDatabase({ pgliteDir: "memory://" });
    await setup(database.db);
  });
  afterAll(() => database?.close());

  const limits: IngestLimits = { maxBodyBytes: MAX_BODY_BYTES, maxUrlLength: MAX_URL_LENGTH, publicUrl };
  const db = (): Db => {
    if (!database) throw new Error("The pipeline database is open only while the describe block's tests run.");
    return database.db;
  };
  let gateways = 0;

  return {
    get db(): Db {
      return db();
    },
    limits,
    /** The request through the pipeline as the route sends it: an error becomes the response the gateway sees. */
    async ingest(gatewayId: string, request: Request): Promise<Response> {
      try {
        return await ingest(db(), gatewayId, request, limits);
      } catch (error) {
        return toErrorResponse(error);
      }
    },
    /** A number's stored messages, newest first, as its inbox page lists them. */
    inbox(number: string, limit = 10) {
      return listMessages(db(), number, { limit });
    },
    /**
     * A new gateway of `kind` with `count` new numbers, so that tests in one database share neither; `config`
     * may name the numbers (numbers[i]).
     */
    async givenGateway(kind: GatewayKind, config?: (numbers: string[]) => Record<string, unknown>, count = 1) {
      const id = `${kind}-${Date.now().toString(36)}-${gateways++}`;
      const numbers = Array.from({ length: count }, newNumber);
      const { apiKey } = await createGateway(db(), { id, kind, ...(config ? { config: config(numbers) } : {}) });
      for (const number of numbers) await createNumber(db(), { number, gateway: id });
      return { id, apiKey, number: numbers[0]!, numbers };
    },
  };
}

const newNumber = () => `+99890${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;

/** The AppError `fn` throws, for its status and code to be checked; anything else thrown fails the test. */
export function appError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

export type FormInboundOptions = {
  method?: string;
  body?: string | Uint8Array;
  headers?: Record<string, string>;
  publicUrl?: string;
};

/**
 * A form webhook (a POST of `body`, or a GET) as the pipeline hands it to the adapter at `now`, with `url` read
 * as the configured public URL (its origin, unless `publicUrl` says otherwise) plus the raw query.
 */
export function formInbound(url: string, options: FormInboundOptions, now: Date): InboundRequest {
  const { method = "POST", body = "", headers = {} } = options;
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const request = new Request(url, {
    method,
    headers: method === "POST" ? { "content-type": "application/x-www-form-urlencoded", ...headers } : headers,
    body: method === "POST" ? (bytes as Uint8Array<ArrayBuffer>) : undefined,
  });
  return toInboundRequest(
    request,
    method === "POST" ? bytes : new Uint8Array(),
    options.publicUrl ?? new URL(url).origin,
    now,
  );
}
