import { getDb } from "@/lib/server/database";
import { handler, json, methodsNotAllowed } from "@/lib/http";
import { listMessages } from "@/lib/inbox/messages";
import { isOurNumber } from "@/lib/inbox/numbers";
import { parseCursor, parseIntParam, requireNumberParam, unknownNumber } from "@/lib/inbox/params";

type Context = { params: Promise<{ number: string }> };

export const GET = handler(async (request: Request, { params }: Context) => {
  const number = requireNumberParam((await params).number);
  const query = new URL(request.url).searchParams;
  const page = {
    limit: parseIntParam("limit", query.get("limit"), 20, 1, 100),
    before: parseCursor("before", query.get("before")),
    after: parseCursor("after", query.get("after")),
  };
  const db = await getDb();
  if (!(await isOurNumber(db, number))) throw unknownNumber(number);
  return json(await listMessages(db, number, page));
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET, HEAD");
