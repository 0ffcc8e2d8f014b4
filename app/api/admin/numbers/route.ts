import { adminHandler } from "@/lib/admin/handler";
import { getDb } from "@/lib/server/database";
import { createNumber } from "@/lib/admin/numbers";
import { json, readJsonBody } from "@/lib/http";
import { getNumber, listNumbers } from "@/lib/inbox/numbers";

export const POST = adminHandler(async (request: Request) => {
  const body = await readJsonBody(request);
  const db = await getDb();
  const row = await createNumber(db, body);
  return json(await getNumber(db, row.number), 201);
});

export const GET = adminHandler(async () => {
  return json(await listNumbers(await getDb(), { includeRetired: true }));
});
