import { desc } from "drizzle-orm";
import type { Db } from "@/db/client";
import { inboundQuarantine } from "@/db/schema";
import type { AppError } from "@/lib/errors";
import type { InboundRequest } from "./request";

// Query parameters and headers that carry credentials: masked before anything is kept.
const SECRET_PARAMS = /^(key|sig|sign|signature|token|api[-_]?key|password|pass)$/i;
const SECRET_HEADERS = new Set(["authorization", "cookie", "proxy-authorization"]);

/** Keeps an authenticated request that we refused, so that a real message is never lost without a trace. */
export async function quarantine(db: Db, gatewayId: string, request: InboundRequest, error: AppError): Promise<void> {
  await db.insert(inboundQuarantine).values({
    gatewayId,
    method: request.method,
    url: maskedUrl(request.url),
    headers: Object.fromEntries(
      [...request.headers].map(([name, value]) => [name, SECRET_HEADERS.has(name) ? "***" : value]),
    ),
    bodyBase64: Buffer.from(request.body).toString("base64"),
    error: error.code,
    detail: error.detail,
  });
}

export function maskedUrl(url: URL): string {
  const masked = new URL(url);
  for (const name of [...masked.searchParams.keys()]) {
    if (SECRET_PARAMS.test(name)) masked.searchParams.set(name, "***");
  }
  return masked.toString();
}

/** The newest quarantined requests, for the operator. */
export async function listQuarantine(db: Db, limit = 100) {
  const rows = await db.select().from(inboundQuarantine).orderBy(desc(inboundQuarantine.id)).limit(limit);
  return rows.map((r) => ({
    id: r.id,
    gateway: r.gatewayId,
    method: r.method,
    url: r.url,
    headers: r.headers,
    body: Buffer.from(r.bodyBase64, "base64").toString("utf8"),
    bodyBase64: r.bodyBase64,
    error: r.error,
    detail: r.detail,
    createdAt: r.createdAt.toISOString(),
  }));
}
