import { getDb } from "@/db";
import { handler, json } from "@/lib/http";
import { listCountries } from "@/lib/inbox/numbers";

export const GET = handler(async () => json(await listCountries(await getDb())));
