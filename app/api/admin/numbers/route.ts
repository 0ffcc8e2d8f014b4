import { getDb } from "@/db";
import { requireAdmin } from "@/lib/admin/auth";
import { createNumber } from "@/lib/admin/numbers";
import { handler, json, readJsonBody } from "@/lib/http";
import { getNumber, listNumbers } from "@/lib/inbox/numbers";

export const POST = handler(async (request: Request) => {
  requireAdmin(request);
  const body = await readJsonBody(request);
  const db = await getDb();
  const row = await createNumber(db, body);
  return json(await getNumber(db, row.number), 201);
});

export const GET = handler(async (request: Request) => {
  requireAdmin(request);
  return json(await listNumbers(await getDb(), { includeRetired: true }));
});
