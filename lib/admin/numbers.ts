import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { numbers, NUMBER_STATUSES, type NumberRow } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { countryOf, normalizeNumber } from "@/lib/text/phone";
import { parseInput } from "@/lib/http/input";
import { findGateway } from "@/lib/ingest/gateway";

const numberInput = z.object({
  number: z.string().min(1).max(32),
  gateway: z.string().min(1).max(64),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, "an ISO 3166 two-letter country code")
    .optional(),
  sim: z.number().int().min(1).max(16).optional(),
});

// What changes in place: its status, and the SIM slot it is in on its gateway (null: the gateway's only number).
const numberChange = z
  .object({ status: z.enum(NUMBER_STATUSES).optional(), sim: numberInput.shape.sim.unwrap().nullable().optional() })
  .strict()
  .refine((change) => change.status !== undefined || change.sim !== undefined, 'Send "status" and/or "sim".');

export async function createNumber(db: Db, input: unknown, options: { demo?: boolean } = {}): Promise<NumberRow> {
  const parsed = parseInput(numberInput, input);
  const number = normalizeNumber(parsed.number);
  if (!number) {
    throw new AppError("invalid_number", `'${parsed.number}' is not a valid phone number in international form.`);
  }
  const country = parsed.country?.toUpperCase() ?? countryOf(number);
  if (!country) {
    throw new AppError("invalid_fields", `country: cannot tell the country of ${number}; give it explicitly.`);
  }
  if (!(await findGateway(db, parsed.gateway))) {
    throw new AppError("unknown_gateway_field", `There is no gateway '${parsed.gateway}'; create it first.`);
  }
  const [row] = await db
    .insert(numbers)
    .values({ number, country, gatewayId: parsed.gateway, sim: parsed.sim ?? null, demo: options.demo ?? false })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new AppError("number_exists", `${number} is already registered.`);
  return row;
}

/** A number taken out of service or back in (`status`), or moved to another SIM slot of its gateway (`sim`). */
export async function updateNumber(db: Db, number: string, input: unknown): Promise<NumberRow> {
  const { status, sim } = parseInput(numberChange, input);
  const [row] = await db
    .update(numbers)
    .set({ ...(status === undefined ? {} : { status }), ...(sim === undefined ? {} : { sim }) })
    .where(eq(numbers.number, number))
    .returning();
  if (!row) throw new AppError("unknown_number", `${number} is not one of our numbers.`);
  return row;
}

/** Each number's gateway and SIM slot (null: the gateway's only number), for the operator's screens. */
export async function numberPlaces(db: Db): Promise<Map<string, { gateway: string; sim: number | null }>> {
  const rows = await db.select({ number: numbers.number, gateway: numbers.gatewayId, sim: numbers.sim }).from(numbers);
  return new Map(rows.map((r) => [r.number, { gateway: r.gateway, sim: r.sim }]));
}
