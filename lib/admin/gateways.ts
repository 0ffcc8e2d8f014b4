import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { gateways, type Gateway } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { GATEWAY_KINDS, SUPPORTED_KINDS } from "@/lib/ingest/kinds";
import { hashKey, newApiKey } from "./keys";

export const gatewayInput = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "letters, digits, '.', '_' or '-', at most 64, starting alphanumeric"),
  name: z.string().trim().min(1).max(100).optional(),
  kind: z.enum(GATEWAY_KINDS),
  secret: z.string().min(1).max(4096).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
});

export type GatewayInput = z.input<typeof gatewayInput>;

/** Creates a gateway and returns its API key: the only time the key is ever shown. */
export async function createGateway(
  db: Db,
  input: unknown,
  options: { apiKey?: string; demo?: boolean } = {},
): Promise<{ id: string; kind: string; apiKey: string }> {
  const parsed = parseInput(gatewayInput, input);
  if (!SUPPORTED_KINDS.includes(parsed.kind)) {
    throw new AppError(
      422,
      "unsupported_kind",
      `Gateways of kind '${parsed.kind}' are not supported yet; supported kinds: ${SUPPORTED_KINDS.join(", ")}.`,
    );
  }
  const apiKey = options.apiKey ?? newApiKey();
  const inserted = await db
    .insert(gateways)
    .values({
      id: parsed.id,
      name: parsed.name ?? parsed.id,
      kind: parsed.kind,
      apiKeyHash: hashKey(apiKey),
      secret: parsed.secret ?? null,
      config: parsed.config ?? {},
      demo: options.demo ?? false,
    })
    .onConflictDoNothing()
    .returning({ id: gateways.id });
  if (inserted.length === 0) {
    throw new AppError(409, "gateway_exists", `A gateway with id '${parsed.id}' already exists.`);
  }
  return { id: parsed.id, kind: parsed.kind, apiKey };
}

export async function findGateway(db: Db, id: string): Promise<Gateway | undefined> {
  const [row] = await db.select().from(gateways).where(eq(gateways.id, id));
  return row;
}

/** Gateways as the operator sees them: never the key hash nor the secret. */
export async function listGateways(db: Db) {
  const rows = await db.select().from(gateways).orderBy(asc(gateways.id));
  return rows.map((g) => ({
    id: g.id,
    name: g.name,
    kind: g.kind,
    demo: g.demo,
    hasSecret: g.secret !== null,
    lastSeenAt: g.lastSeenAt?.toISOString() ?? null,
    createdAt: g.createdAt.toISOString(),
  }));
}

/** Parses input with a schema, or throws a 422 naming every field that is wrong. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
    throw new AppError(422, "invalid_fields", problems);
  }
  return result.data;
}
