import { desc } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { reports, type ReportRow } from "@/db/schema";
import { parseInput } from "@/lib/http/input";
import { AppError } from "@/lib/errors";
import { isJson } from "@/lib/http";
import { readRawBody } from "@/lib/http/body";
import { refuseUnstorable } from "@/lib/unstorable";

export const MAX_SERVICE_LENGTH = 60;
export const MAX_NOTE_LENGTH = 500;

/** A visitor's "codes from `service` don't arrive on `number`", as the operator sees it. */
export type Report = { id: number; number: string; service: string; note: string | null; createdAt: string };

/** The body of `POST /api/v1/numbers/{number}/reports`, as validated and as the OpenAPI document describes it. */
export const reportInput = z
  .object({
    service: z
      .string()
      .trim()
      .min(1)
      .max(MAX_SERVICE_LENGTH)
      .meta({ description: "The service whose codes don't arrive.", example: "WhatsApp" }),
    // An empty note (a form sends "") is no note.
    note: z
      .string()
      .trim()
      .max(MAX_NOTE_LENGTH)
      .optional()
      .transform((v) => v || null)
      .meta({ description: "What happened, in a few words.", example: "nothing for an hour" }),
  })
  .meta({ id: "ReportInput" });

/** Checks a report's fields: 422 naming the field, before anything is counted against the visitor. */
export function parseReport(input: unknown): { service: string; note: string | null } {
  return parseInput(reportInput, input);
}

export async function createReport(
  db: Db,
  number: string,
  report: { service: string; note: string | null },
): Promise<Report> {
  const [row] = await db
    .insert(reports)
    .values({ number, ...report })
    .returning();
  return toReport(row!);
}

/** Newest first. */
export async function listReports(db: Db, limit: number): Promise<Report[]> {
  const rows = await db.select().from(reports).orderBy(desc(reports.id)).limit(limit);
  return rows.map(toReport);
}

function toReport(row: ReportRow): Report {
  return {
    id: row.id,
    number: row.number,
    service: row.service,
    note: row.note,
    createdAt: row.createdAt.toISOString(),
  };
}

// A service name and a 500-character note, JSON-escaped at worst, fit many times over.
const MAX_BODY_BYTES = 8 * 1024;

/**
 * The report's JSON body: 415 for another type, 413 past a few KiB (refused before parsing), 400 when malformed,
 * 422 naming the field when text in it cannot be stored (a NUL).
 */
export async function readReportBody(request: Request): Promise<unknown> {
  if (!isJson(request.headers.get("content-type"))) {
    throw new AppError("unsupported_media_type", "Send the report as application/json.");
  }
  const bytes = await readRawBody(request, MAX_BODY_BYTES);
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new AppError("malformed_body", "The body is not valid JSON.");
  }
  refuseUnstorable(body);
  return body;
}
