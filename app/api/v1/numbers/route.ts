import { getDb } from "@/lib/server/database";
import { handler, json, methodsNotAllowed } from "@/lib/http";
import { numbersQuery, parseQuery } from "@/lib/api/schemas";
import { listNumbers } from "@/lib/inbox/numbers";

export const GET = handler(async (request: Request) => {
  const { country } = parseQuery(numbersQuery, new URL(request.url).searchParams, { emptyIsWrong: ["country"] });
  return json(await listNumbers(await getDb(), { country }));
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET, HEAD");
