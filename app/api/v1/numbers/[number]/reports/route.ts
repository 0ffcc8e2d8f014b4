import { getDb } from "@/lib/server/database";
import { config } from "@/lib/config";
import { handler, json } from "@/lib/http";
import { isOurNumber } from "@/lib/inbox/numbers";
import { unknownNumber } from "@/lib/inbox/params";
import { noQuery, parseNumber, parseQuery } from "@/lib/api/schemas";
import { clientAddress } from "@/lib/limits/client-address";
import { consumeReportBudget } from "@/lib/moderation/report-rate";
import { createReport, parseReport, readReportBody } from "@/lib/moderation/reports";

type Context = { params: Promise<{ number: string }> };

/** A visitor reports that codes from a service don't arrive on this number: {service, note?} → 201. */
export const POST = handler(async (request: Request, { params }: Context) => {
  const number = parseNumber((await params).number);
  parseQuery(noQuery, new URL(request.url).searchParams);
  const report = parseReport(await readReportBody(request));
  const db = await getDb();
  if (!(await isOurNumber(db, number))) throw unknownNumber(number);
  // Counted only once the report is valid and about a real number: a visitor's typo costs nothing.
  await consumeReportBudget(clientAddress(request.headers, config()), config().REPORTS_PER_HOUR);
  return json(await createReport(db, number, report), 201);
});
