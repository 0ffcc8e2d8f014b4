import { getDb } from "@/db";
import { requireAdmin } from "@/lib/admin/auth";
import { setNumberStatus } from "@/lib/admin/numbers";
import { handler, json, readJsonBody } from "@/lib/http";
import { getNumber } from "@/lib/inbox/numbers";
import { requireNumberParam } from "@/lib/inbox/params";

type Context = { params: Promise<{ number: string }> };

export const PATCH = handler(async (request: Request, { params }: Context) => {
  requireAdmin(request);
  const number = requireNumberParam((await params).number);
  const body = await readJsonBody(request);
  const db = await getDb();
  await setNumberStatus(db, number, body);
  return json(await getNumber(db, number));
});
