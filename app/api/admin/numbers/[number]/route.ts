import { adminHandler } from "@/lib/admin/handler";
import { getDb } from "@/lib/server/database";
import { updateNumber } from "@/lib/admin/numbers";
import { json, readJsonBody } from "@/lib/http";
import { getNumber } from "@/lib/inbox/numbers";
import { requireNumberParam } from "@/lib/inbox/params";

type Context = { params: Promise<{ number: string }> };

export const PATCH = adminHandler(async (request: Request, { params }: Context) => {
  const number = requireNumberParam((await params).number);
  const body = await readJsonBody(request);
  const db = await getDb();
  await updateNumber(db, number, body);
  return json(await getNumber(db, number));
});
