import { getDb } from "@/lib/server/database";
import { handler, json, methodsNotAllowed } from "@/lib/http";
import { listMessages } from "@/lib/inbox/messages";
import { isOurNumber } from "@/lib/inbox/numbers";
import { unknownNumber } from "@/lib/inbox/params";
import { MESSAGES_DEFAULT_LIMIT, messagesQuery, parseNumber, parseQuery } from "@/lib/api/schemas";

type Context = { params: Promise<{ number: string }> };

export const GET = handler(async (request: Request, { params }: Context) => {
  const number = parseNumber((await params).number);
  const query = parseQuery(messagesQuery, new URL(request.url).searchParams);
  const page = { ...query, limit: query.limit ?? MESSAGES_DEFAULT_LIMIT };
  const db = await getDb();
  if (!(await isOurNumber(db, number))) throw unknownNumber(number);
  return json(await listMessages(db, number, page));
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET, HEAD");
