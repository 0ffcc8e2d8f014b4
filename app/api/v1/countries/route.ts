import { getDb } from "@/lib/server/database";
import { handler, json, methodsNotAllowed } from "@/lib/http";
import { listCountries } from "@/lib/inbox/numbers";

export const GET = handler(async () => json(await listCountries(await getDb())));

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET, HEAD");
