import { getDb } from "@/lib/server/database";
import { handler, json, methodsNotAllowed } from "@/lib/http";
import { noQuery, parseQuery } from "@/lib/api/schemas";
import { listCountries } from "@/lib/inbox/numbers";

export const GET = handler(async (request: Request) => {
  parseQuery(noQuery, new URL(request.url).searchParams);
  return json(await listCountries(await getDb()));
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET, HEAD");
