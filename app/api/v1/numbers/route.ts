import { getDb } from "@/lib/server/database";
import { AppError } from "@/lib/errors";
import { handler, json, methodsNotAllowed } from "@/lib/http";
import { listNumbers } from "@/lib/inbox/numbers";

export const GET = handler(async (request: Request) => {
  const country = new URL(request.url).searchParams.get("country");
  if (country !== null && !/^[A-Za-z]{2}$/.test(country)) {
    throw new AppError("invalid_parameter", "'country' must be an ISO 3166 two-letter code, e.g. UZ.");
  }
  return json(await listNumbers(await getDb(), { country: country?.toUpperCase() }));
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET, HEAD");
