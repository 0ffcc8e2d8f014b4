import { desc } from "drizzle-orm";
import type { Db } from "@/db/client";
import { inboundQuarantine } from "@/db/schema";
import type { AppError } from "@/lib/errors";
import { storable } from "@/lib/unstorable";
import { RAW_URL_HEADER, type InboundRequest } from "./request";

// Query parameters and headers that carry credentials: masked before anything is kept.
const SECRET_PARAMS = /^(key|sig|sign|signature|token|api[-_]?key|password|pass)$/i;
const SECRET_HEADERS = new Set(["authorization", "cookie", "proxy-authorization"]);
// Headers server.mjs stamps on every request, not the source's: the target as received (its query unmasked: a
// key or token parameter would be kept in clear) and the socket peer. The masked URL already says the target.
const STAMPED_HEADERS = new Set([RAW_URL_HEADER, "x-numbox-peer"]);

/**
 * Keeps an authenticated request that we refused, so that a real message is never lost without a trace. The body
 * is kept byte for byte (base64); the text around it may quote what was refused — a NUL, say, which Postgres
 * cannot hold — so it is stored escaped (storable): keeping the refusal must never fail and turn it into a 500.
 */
export async function quarantine(db: Db, gatewayId: string, request: InboundRequest, error: AppError): Promise<void> {
  await db.insert(inboundQuarantine).values({
    gatewayId,
    method: storable(request.method),
    url: storable(maskedUrl(request.url)),
    headers: Object.fromEntries(
      [...request.headers]
        .filter(([name]) => !STAMPED_HEADERS.has(name))
        .map(([name, value]) => [storable(name), SECRET_HEADERS.has(name) ? "***" : storable(value)]),
    ),
    bodyBase64: Buffer.from(request.body).toString("base64"),
    error: storable(error.code),
    detail: storable(error.detail),
  });
}

export function maskedUrl(url: URL): string {
  // Only the secret values are replaced, in the raw query: everything else stays as sent, byte for byte (Kannel
  // and Jasmin send URL-encoded UCS-2 bytes there, which a URLSearchParams round trip would turn into U+FFFD).
  const search = url.search.replace(/([?&])([^=&]*)=([^&]*)/g, (whole, separator: string, name: string) =>
    SECRET_PARAMS.test(decodeName(name)) ? `${separator}${name}=***` : whole,
  );
  return `${url.origin}${url.pathname}${search}`;
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replaceAll("+", " "));
  } catch {
    return name;
  }
}

/** The newest quarantined requests, for the operator. */
export async function listQuarantine(db: Db, limit = 100) {
  const rows = await db.select().from(inboundQuarantine).orderBy(desc(inboundQuarantine.id)).limit(limit);
  return rows.map((r) => ({
    id: r.id,
    gateway: r.gatewayId,
    method: r.method,
    url: r.url,
    // Rows kept before the stamped headers were left out still have them: never shown.
    headers: Object.fromEntries(Object.entries(r.headers).filter(([name]) => !STAMPED_HEADERS.has(name))),
    body: Buffer.from(r.bodyBase64, "base64").toString("utf8"),
    bodyBase64: r.bodyBase64,
    error: r.error,
    detail: r.detail,
    createdAt: r.createdAt.toISOString(),
  }));
}
