import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { gateways } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/http/input";
import type { Adapter } from "@/lib/ingest/adapter";
import { adapterFor, ADAPTERS } from "@/lib/ingest/adapters";
import { findGateway, GATEWAY_ID } from "@/lib/ingest/gateway";
import { GATEWAY_KINDS } from "@/lib/ingest/kinds";
import { parseAllowList } from "@/lib/ip-allowlist";
import { hashKey, newApiKey } from "@/lib/security/secrets";

const secretInput = z.union([z.string().min(1).max(4096), z.array(z.string().min(1).max(4096)).min(1).max(2)]);

export const gatewayInput = z.object({
  id: z.string().regex(GATEWAY_ID, "letters, digits, '.', '_' or '-', at most 64, starting alphanumeric"),
  name: z.string().trim().min(1).max(100).optional(),
  kind: z.enum(GATEWAY_KINDS),
  // The provider's signing secret; two (current, previous) while rotating.
  secret: secretInput.optional(),
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
  const adapter = adapterFor(parsed.kind);
  if (!adapter) {
    throw new AppError(
      "unsupported_kind",
      `Gateways of kind '${parsed.kind}' are not supported yet; supported kinds: ${Object.keys(ADAPTERS).join(", ")}.`,
    );
  }
  const secrets = parsed.secret === undefined ? [] : [parsed.secret].flat();
  if (adapter.setup.secret && secrets.length === 0) {
    throw new AppError("missing_secret", `Kind '${parsed.kind}' needs 'secret': ${adapter.setup.secret}.`);
  }
  const config = checkedConfig(adapter, parsed.config ?? {});
  const apiKey = options.apiKey ?? newApiKey();
  const inserted = await db
    .insert(gateways)
    .values({
      id: parsed.id,
      name: parsed.name ?? parsed.id,
      kind: parsed.kind,
      apiKeyHashes: [hashKey(apiKey)],
      secrets,
      config,
      demo: options.demo ?? false,
    })
    .onConflictDoNothing()
    .returning({ id: gateways.id });
  if (inserted.length === 0) {
    throw new AppError("gateway_exists", `A gateway with id '${parsed.id}' already exists.`);
  }
  return { id: parsed.id, kind: parsed.kind, apiKey };
}

/**
 * Rotation without downtime: a new API key or signing secret becomes the current one and the previous current
 * one stays valid until the next rotation, so the source can be switched over at leisure.
 */
export async function rotateGateway(db: Db, id: string, input: unknown): Promise<{ id: string; apiKey?: string }> {
  const parsed = parseInput(
    z.object({ apiKey: z.literal(true).optional(), secret: z.string().min(1).max(4096).optional() }),
    input,
  );
  const gateway = await findGateway(db, id);
  if (!gateway) throw new AppError("unknown_gateway", `There is no gateway '${id}'.`);
  if (!parsed.apiKey && !parsed.secret) {
    throw new AppError(
      "invalid_fields",
      'Send {"apiKey":true} for a new API key and/or {"secret":"…"} for a new signing secret.',
    );
  }
  const apiKey = parsed.apiKey ? newApiKey() : undefined;
  await db
    .update(gateways)
    .set({
      ...(apiKey ? { apiKeyHashes: [hashKey(apiKey), ...gateway.apiKeyHashes.slice(0, 1)] } : {}),
      ...(parsed.secret ? { secrets: [parsed.secret, ...gateway.secrets.slice(0, 1)] } : {}),
    })
    .where(eq(gateways.id, id));
  return apiKey ? { id, apiKey } : { id };
}

/**
 * A gateway's name and settings changed in place: `config` replaces the whole config (what `gateway add` took,
 * checked the same way), so that an operator who learns a device id, a SIM channel or a source address later
 * does not have to make a new gateway, and a new key with it. Its keys and secrets change only by rotation.
 */
export async function updateGateway(db: Db, id: string, input: unknown): Promise<{ id: string }> {
  const parsed = parseInput(
    z.object({ name: gatewayInput.shape.name, config: gatewayInput.shape.config }).strict(),
    input,
  );
  const gateway = await findGateway(db, id);
  if (!gateway) throw new AppError("unknown_gateway", `There is no gateway '${id}'.`);
  if (parsed.name === undefined && parsed.config === undefined) {
    throw new AppError("invalid_fields", 'Send {"name":"…"} and/or {"config":{…}} (the whole new config).');
  }
  const adapter = adapterFor(gateway.kind);
  if (!adapter) throw new AppError("unsupported_kind", `Gateways of kind '${gateway.kind}' are not supported.`);
  await db
    .update(gateways)
    .set({
      ...(parsed.name === undefined ? {} : { name: parsed.name }),
      ...(parsed.config === undefined ? {} : { config: checkedConfig(adapter, parsed.config) }),
    })
    .where(eq(gateways.id, id));
  return { id };
}

/** A gateway's config as stored: `allowIps` applies to every kind; the rest is the kind's own, checked by it. */
function checkedConfig(adapter: Adapter, input: Record<string, unknown>): Record<string, unknown> {
  const { allowIps, ...kindConfig } = input;
  return {
    ...(adapter.configSchema ? parseInput(adapter.configSchema, kindConfig, "config.") : kindConfig),
    ...(allowIps === undefined ? {} : { allowIps: parseAllowIps(allowIps) }),
  };
}

/** Gateways as the operator sees them: never the key hashes nor the secrets. */
export async function listGateways(db: Db) {
  const rows = await db.select().from(gateways).orderBy(asc(gateways.id));
  return rows.map((g) => ({
    id: g.id,
    name: g.name,
    kind: g.kind,
    demo: g.demo,
    hasSecret: g.secrets.length > 0,
    config: g.config,
    lastSeenAt: g.lastSeenAt?.toISOString() ?? null,
    // Set while the gateway is silent and the operator was told so (lib/alerts).
    silentSince: g.offlineAlertedAt ? (g.lastSeenAt?.toISOString() ?? null) : null,
    createdAt: g.createdAt.toISOString(),
  }));
}

function parseAllowIps(value: unknown): string[] {
  const entries = parseInput(z.array(z.string()).min(1).max(100), value, "config.allowIps");
  const list = parseAllowList(entries);
  if (typeof list === "string") throw new AppError("invalid_fields", `config.allowIps: ${list}.`);
  return entries;
}
