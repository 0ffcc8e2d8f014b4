/*
 * The readable API reference (/docs/api), taken from the OpenAPI document itself (./openapi.ts): what the page
 * shows is what the document says, and the document is what the routes validate with. Framework-free: the page
 * only lays it out.
 */

type JsonSchema = {
  type?: string | string[];
  $ref?: string;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  description?: string;
  example?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  format?: string;
};
type Parameter = { in: string; name: string; required?: boolean; description?: string; schema?: JsonSchema };
type Media = { schema?: JsonSchema; example?: unknown };
type Operation = {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, Media> };
  responses?: Record<string, { description?: string; content?: Record<string, Media> }>;
};
export type ApiDocument = {
  info: { title: string; description?: string };
  tags?: { name: string; description?: string }[];
  paths?: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown> };
};

export type ReferenceField = { name: string; where: string; type: string; required: boolean; about: string };
export type ReferenceAnswer = { status: string; type: string; about: string };
export type ReferenceOperation = {
  id: string;
  method: string;
  path: string;
  summary: string;
  about: string;
  fields: ReferenceField[];
  answers: ReferenceAnswer[];
  curl: string;
};
export type ApiReference = {
  title: string;
  about: string;
  groups: { name: string; about: string; operations: ReferenceOperation[] }[];
  schemas: { name: string; fields: ReferenceField[] }[];
};

/** A schema in a few words: `integer 1–100`, `Message`, `array of Country`, `string or null`. */
export function typeOf(schema: JsonSchema | undefined): string {
  if (!schema) return "";
  if (schema.$ref) return schema.$ref.split("/").at(-1)!;
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  const types = ([] as string[]).concat(schema.type ?? "any");
  const named = types.map((t) => (t === "array" ? `array of ${typeOf(schema.items)}` : t));
  const ranges = [
    schema.minimum !== undefined && schema.maximum !== undefined && schema.maximum < 2 ** 53 - 1
      ? `${schema.minimum}–${schema.maximum}`
      : "",
    schema.minLength !== undefined || schema.maxLength !== undefined
      ? `${schema.minLength ?? 0}–${schema.maxLength ?? "∞"} characters`
      : "",
    schema.format ?? "",
  ].filter(Boolean);
  return [named.join(" or "), ...ranges].join(", ");
}

function curlOf(base: string, method: string, path: string, operation: Operation, number: string): string {
  const query = new URLSearchParams();
  for (const p of operation.parameters ?? []) {
    if (p.in === "query" && p.schema?.example !== undefined) query.set(p.name, String(p.schema.example));
  }
  const url = `${base}${path.replace("{number}", number)}${query.size ? `?${query}` : ""}`;
  const body = operation.requestBody?.content?.["application/json"]?.example;
  if (method === "post") {
    return `curl -s -X POST "${url}" \\\n  -H 'Content-Type: application/json' \\\n  -d '${JSON.stringify(body ?? {})}'`;
  }
  // A stream never ends by itself: -N shows each event as it comes.
  const streaming = Object.values(operation.responses ?? {}).some((r) => r.content?.["text/event-stream"]);
  return `curl -s${streaming ? "N" : ""} "${url}"`;
}

function fieldsOf(schema: JsonSchema): ReferenceField[] {
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    where: "",
    type: typeOf(property),
    required: schema.required?.includes(name) ?? false,
    about: property.description ?? "",
  }));
}

export function apiReference(document: ApiDocument, base: string): ApiReference {
  const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item).map(([method, raw]) => ({ path, method, operation: raw as Operation })),
  );
  // The example number of the document's own `{number}` parameter, for the curl lines.
  const number =
    String(
      operations
        .flatMap(({ operation }) => operation.parameters ?? [])
        .find((p) => p.in === "path" && p.name === "number")?.schema?.example ?? "",
    ) || "{number}";
  const toReference = ({ path, method, operation }: (typeof operations)[number]): ReferenceOperation => {
    const body = operation.requestBody?.content?.["application/json"]?.schema;
    const bodyFields = body?.$ref
      ? fieldsOf((document.components?.schemas?.[body.$ref.split("/").at(-1)!] ?? {}) as JsonSchema)
      : [];
    return {
      id: operation.operationId ?? `${method}-${path}`,
      method: method.toUpperCase(),
      path,
      summary: operation.summary ?? "",
      about: operation.description ?? "",
      fields: [
        ...(operation.parameters ?? []).map((p) => ({
          name: p.name,
          where: p.in,
          type: typeOf(p.schema),
          required: p.required ?? false,
          about: p.description ?? p.schema?.description ?? "",
        })),
        ...bodyFields.map((f) => ({ ...f, where: "body" })),
      ],
      answers: Object.entries(operation.responses ?? {}).map(([status, answer]) => {
        const [mediaType, media] = Object.entries(answer.content ?? {})[0] ?? [];
        return {
          status,
          type: mediaType ? `${mediaType}${media?.schema ? `: ${typeOf(media.schema)}` : ""}` : "no body",
          about: answer.description ?? "",
        };
      }),
      curl: curlOf(base, method, path, operation, number),
    };
  };
  return {
    title: document.info.title,
    about: document.info.description ?? "",
    groups: (document.tags ?? []).map((tag) => ({
      name: tag.name,
      about: tag.description ?? "",
      operations: operations.filter(({ operation }) => operation.tags?.includes(tag.name)).map(toReference),
    })),
    schemas: Object.entries(document.components?.schemas ?? {}).map(([name, schema]) => ({
      name,
      fields: fieldsOf(schema as JsonSchema),
    })),
  };
}
