import { z } from "zod";
import { AppError } from "@/lib/errors";
import { checkedQuery } from "@/lib/http/query";
import { parseNumberParam } from "@/lib/inbox/params";
import { MAX_SLUG_LENGTH } from "@/lib/services/service";
import { parseServiceParam } from "@/lib/services/slug-param";

/*
 * The public API's input, as zod schemas: what the routes validate with and what the OpenAPI document
 * (lib/api/openapi.ts) is generated from, so the two cannot drift. Every parameter's error is the sentence the API
 * answered before the schemas existed ('limit' must be an integer from 1 to 100.): testers' scripts match on them.
 *
 * Query strings are text: each parameter schema takes the raw string and checks it the way the API always did (a
 * regular expression, not `Number()`, which would take "1e3" or " 5"). Where JSON Schema can say the same more
 * usefully to a client generator ("an integer from 1 to 100"), the schema's metadata says it (`override`, read by
 * zod-openapi).
 */

// A sender is at most 32 characters (lib/ingest/validate.ts): a longer `from` could match nothing.
export const MAX_SENDER_LENGTH = 32;
export const MAX_SEARCH_LENGTH = 100;
export const MESSAGES_DEFAULT_LIMIT = 20;
export const MESSAGES_MAX_LIMIT = 100;

/**
 * A text parameter (a sender, a slug, words to search): `min` to `max` characters — counted as characters, as
 * JSON Schema's minLength does, not as UTF-16 units — of text the database can compare: no NUL, no control
 * character, no broken surrogate.
 */
export function textParam(name: string, min: number, max: number) {
  return z
    .string()
    .refine((raw) => [...raw].length >= min && [...raw].length <= max, {
      error: `'${name}' must be ${min} to ${max} characters long.`,
    })
    .refine((raw) => !/\p{Cc}/u.test(raw) && raw.isWellFormed(), {
      error: `'${name}' must not contain control characters or broken UTF-16.`,
    })
    .meta({ minLength: min, maxLength: max });
}

/** An integer parameter within bounds. */
export function intParam(name: string, min: number, max: number) {
  return z
    .string()
    .refine((raw) => /^\d{1,9}$/.test(raw) && Number(raw) >= min && Number(raw) <= max, {
      error: `'${name}' must be an integer from ${min} to ${max}.`,
    })
    .transform(Number)
    .meta({ override: { type: "integer", minimum: min, maximum: max } });
}

/** A message id used as a cursor: a non-negative safe integer (ids grow with arrival). */
export function cursorParam(name: string) {
  return z
    .string()
    .refine((raw) => /^\d{1,16}$/.test(raw) && Number.isSafeInteger(Number(raw)), {
      error: `'${name}' must be a message id (a non-negative integer).`,
    })
    .transform(Number)
    .meta({ override: { type: "integer", minimum: 0, maximum: Number.MAX_SAFE_INTEGER } });
}

const from = textParam("from", 1, MAX_SENDER_LENGTH).meta({
  description: "The sender, exactly but for case: `google` finds `Google`, not `VM-GOOGLE` (use `service` for that).",
  example: "Telegram",
});
const service = textParam("service", 1, MAX_SLUG_LENGTH).meta({
  description: "A service's slug: `google` finds `Google`, `VM-GOOGLE`, `G-Verify` and Google's short codes.",
  example: "telegram",
});

/** `GET /api/v1/numbers`. */
export const numbersQuery = z.object({
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, { error: "'country' must be an ISO 3166 two-letter code, e.g. UZ." })
    .transform((code) => code.toUpperCase())
    .optional()
    .meta({ description: "An ISO 3166 two-letter country code, either case.", example: "UZ" }),
});

/** `GET /api/v1/numbers/{number}/messages`. The order of the keys is the order the 400 for an unknown one lists them. */
export const messagesQuery = z.object({
  limit: intParam("limit", 1, MESSAGES_MAX_LIMIT)
    .optional()
    .meta({ description: "How many messages, newest first.", example: 5 }),
  before: cursorParam("before")
    .optional()
    .meta({ description: "Only messages older than this id: pass the previous page's `next`." }),
  after: cursorParam("after")
    .optional()
    .meta({ description: "Only messages newer than this id: the messages right after it (paging forward)." }),
  from: from.optional(),
  service: service.optional(),
  q: textParam("q", 2, MAX_SEARCH_LENGTH)
    .optional()
    .meta({ description: "Found anywhere in the sender or the text, ignoring case.", example: "code" }),
});

// A wait without `timeout` lasts this long, or WAIT_MAX_SECONDS where the operator allows less.
export const DEFAULT_WAIT_SECONDS = 30;

/** `GET /api/v1/numbers/{number}/wait`: how long a wait may last is the operator's (WAIT_MAX_SECONDS). */
export function waitQuery(longestSeconds: number) {
  return z.object({
    after: cursorParam("after").optional().meta({
      description: "Only messages after this id count. Default: the newest now, i.e. wait for the next one.",
      example: 0,
    }),
    from: from.optional(),
    service: service.optional(),
    contains: textParam("contains", 1, MAX_SEARCH_LENGTH)
      .optional()
      .meta({ description: "Words the text must contain, ignoring case.", example: "code" }),
    timeout: intParam("timeout", 1, longestSeconds)
      .optional()
      .meta({
        description: `Seconds to wait before answering 204 (default ${Math.min(DEFAULT_WAIT_SECONDS, longestSeconds)}).`,
        example: 1,
      }),
  });
}

/** `GET /api/v1/numbers/{number}/stream`; a reconnecting EventSource's Last-Event-ID header wins over `after`. */
export const streamQuery = z.object({
  after: cursorParam("after").optional().meta({
    description: "Replay the messages after this id, then stream. Default: from when the request arrived.",
    example: 0,
  }),
});
export const lastEventId = cursorParam("Last-Event-ID");

/** A route that takes no query parameter at all (the countries, the feeds, reports). */
export const noQuery = z.object({});

/** The `{number}` of a path: E.164 with or without "+". "998940373339" → "+998940373339". */
export const numberPath = z
  .string()
  .transform((raw, context) => {
    const number = parseNumberParam(raw);
    if (number) return number;
    context.addIssue({ code: "custom", message: "The number must be in E.164 form, with or without '+'." });
    return z.NEVER;
  })
  .meta({
    description: "One of our numbers, in E.164 form, with or without `+`.",
    example: "998940373339",
    override: { type: "string", pattern: "^\\+?[0-9]{6,15}$" },
  });

/** The body of `POST /api/v1/numbers/{number}/reports`: kept with the reports it makes (lib/moderation). */
export { reportInput } from "@/lib/moderation/reports";

/**
 * A route's query string, checked: a parameter the schema does not name is a 400 `unknown_parameter` naming it,
 * one given twice a 400 `ambiguous_parameter` (lib/http/query.ts), an empty one counts as absent, and the first
 * wrong one is a 400 `invalid_parameter` with the schema's sentence.
 */
export function parseQuery<S extends z.ZodObject>(
  schema: S,
  query: URLSearchParams,
  // Parameters for which an empty value is a wrong value, not an absent one (`?country=` has always been a 400).
  { emptyIsWrong = [] as readonly string[] } = {},
): z.output<S> {
  checkedQuery(query, Object.keys(schema.shape));
  const given = Object.fromEntries([...query].filter(([name, value]) => value !== "" || emptyIsWrong.includes(name)));
  const result = schema.safeParse(given);
  if (!result.success) throw new AppError("invalid_parameter", result.error.issues[0]!.message);
  return result.data;
}

/** The number named in an API path: 400 `invalid_number` when it is not a phone number at all. */
export function parseNumber(raw: string): string {
  const result = numberPath.safeParse(raw);
  if (!result.success) throw new AppError("invalid_number_param", result.error.issues[0]!.message);
  return result.data;
}

/** A service named in an API path: its slug, as the service pages take it (lib/services/slug-param.ts). */
export const servicePath = z
  .string()
  .transform((raw, context) => {
    const slug = parseServiceParam(raw);
    if (slug) return slug;
    context.addIssue({
      code: "custom",
      message: "The service must be a slug: lower case letters, digits and dashes, as in 'telegram'.",
    });
    return z.NEVER;
  })
  .meta({
    description: "A service's slug, as on its page `/services/{slug}`: `telegram`, `google`, `whatsapp`.",
    example: "telegram",
    override: { type: "string", minLength: 1, maxLength: MAX_SLUG_LENGTH },
  });

/** The service named in an API path: 400 `invalid_service` when it cannot be a slug at all. */
export function parseService(raw: string): string {
  const result = servicePath.safeParse(raw);
  if (!result.success) throw new AppError("invalid_service", result.error.issues[0]!.message);
  return result.data;
}

/** A cursor header (Last-Event-ID): absent or empty is none. */
export function parseCursorHeader(raw: string | null): number | undefined {
  if (raw === null || raw === "") return undefined;
  const result = lastEventId.safeParse(raw);
  if (!result.success) throw new AppError("invalid_parameter", result.error.issues[0]!.message);
  return result.data;
}
