import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiResponseObject } from "zod-openapi";
import { config } from "@/lib/config";
import { reportInput } from "@/lib/moderation/reports";
import { countrySchema, errorSchema, messagePageSchema, messageSchema, numberSchema, reportSchema } from "./responses";
import {
  lastEventId,
  messagesQuery,
  noQuery,
  numberPath,
  numbersQuery,
  servicePath,
  streamQuery,
  waitQuery,
} from "./schemas";

/*
 * The OpenAPI 3.1 document of the public API, generated from the zod schemas the routes validate with
 * (lib/api/schemas.ts) and the schemas of their answers (lib/api/responses.ts). zod-openapi turns them into
 * JSON Schema 2020-12 (OpenAPI 3.1's own dialect) and the parameter objects: it reads zod 4's `.meta()`, so a
 * parameter's description and example live on the schema that checks it. Each operation's parameter examples
 * together are a request that works against a server with that number (e2e/openapi.api.spec.ts runs them).
 */

const numberParams = z.object({ number: numberPath });
const serviceParams = z.object({ slug: servicePath });

function json(schema: z.ZodType, description: string): ZodOpenApiResponseObject {
  return { description, content: { "application/json": { schema } } };
}

function error(description: string): ZodOpenApiResponseObject {
  return json(errorSchema, description);
}

// The answers every route may give besides its own: a parameter it does not take, the per-address budget, an
// unreachable database.
const COMMON_ERRORS = {
  "400": error(
    "`unknown_parameter` (a parameter the endpoint does not take, named), `ambiguous_parameter` (one given twice), `invalid_parameter` (out of range, too short or long; named), `invalid_number` (the path's number is not a phone number).",
  ),
  "429": error("`rate_limited`: too many requests from this address; `Retry-After` says when to retry."),
  "503": error("`database_unavailable`: retry after `Retry-After`."),
};
const UNKNOWN_NUMBER = { "404": error("`unknown_number`: the number is not one of ours.") };

const FORMAT_NAMES: Record<string, string> = { rss: "RSS 2.0", atom: "Atom", json: "JSON Feed 1.1" };

function feedAnswer(mediaType: string, schema: z.ZodType): ZodOpenApiResponseObject {
  return { description: "The feed.", content: { [mediaType]: { schema } } };
}

function feed(format: string, mediaType: string, schema: z.ZodType): ZodOpenApiOperationObject {
  return {
    operationId: `numberFeed${format[0]!.toUpperCase()}${format.slice(1)}`,
    tags: ["Feeds"],
    summary: `A number's newest messages as ${FORMAT_NAMES[format]}`,
    description:
      "For a feed reader: the 50 newest messages. Each entry's id is `tag:{host},2026:message:{id}`, the same in all three formats. Cacheable for 60 s.",
    requestParams: { path: numberParams, query: noQuery },
    responses: {
      "200": feedAnswer(mediaType, schema),
      ...UNKNOWN_NUMBER,
      ...COMMON_ERRORS,
    },
  };
}

function serviceFeed(format: string, mediaType: string, schema: z.ZodType): ZodOpenApiOperationObject {
  return {
    operationId: `serviceFeed${format[0]!.toUpperCase()}${format.slice(1)}`,
    tags: ["Feeds"],
    summary: `A service's newest messages across the numbers as ${FORMAT_NAMES[format]}`,
    description:
      "For a feed reader: the 50 newest messages from the service on the numbers in service, as its page `/services/{slug}` lists them. Each entry names the number that received it and links to its inbox; its id is `tag:{host},2026:message:{id}`, as in the number's own feed. A service of the catalogue that nothing received lately is an empty feed. Revalidate with `If-None-Match`: it changes whenever a message arrives.",
    requestParams: { path: serviceParams, query: noQuery },
    responses: {
      "200": feedAnswer(mediaType, schema),
      "400": error(
        "`invalid_service` (the path's service is not a slug), `unknown_parameter` (a parameter the endpoint does not take).",
      ),
      "404": error("`unknown_service`: not in the catalogue, and none of our numbers received it in the last 7 days."),
      "429": COMMON_ERRORS["429"],
      "503": COMMON_ERRORS["503"],
    },
  };
}

const xml = z.string().meta({ description: "An XML document." });
const jsonFeed = z
  .object({
    version: z.literal("https://jsonfeed.org/version/1.1"),
    title: z.string(),
    items: z.array(z.object({ id: z.string(), content_text: z.string() }).loose()),
  })
  .loose()
  .meta({ id: "JsonFeed" });

function build(publicUrl: string, waitMaxSeconds: number) {
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Numbox public API",
      version: "1",
      description:
        'Public temporary numbers and the text messages they receive: read them, stream them, wait for a code. No key: everything here is public, answered to every origin (CORS `*`), and limited per address. Errors are JSON `{"error":"<code>","detail":"<sentence>"}`.',
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: publicUrl.replace(/\/$/, "") }],
    tags: [
      { name: "Numbers", description: "Countries and the numbers in them." },
      { name: "Messages", description: "A number's inbox: read, stream, wait." },
      { name: "Feeds", description: "A number's inbox, or a service's messages across the numbers, for feed readers." },
      { name: "Reports", description: "Tell the operator that codes don't arrive." },
    ],
    paths: {
      "/api/v1/countries": {
        get: {
          operationId: "listCountries",
          tags: ["Numbers"],
          summary: "Countries with numbers",
          description: "Countries with at least one usable number; `numbers` counts the active ones.",
          requestParams: { query: noQuery },
          responses: { "200": json(z.array(countrySchema), "The countries, most numbers first."), ...COMMON_ERRORS },
        },
      },
      "/api/v1/numbers": {
        get: {
          operationId: "listNumbers",
          tags: ["Numbers"],
          summary: "Numbers",
          description: "Numbers visitors can use, most recently active first; `health` says whether codes arrive.",
          requestParams: { query: numbersQuery },
          responses: { "200": json(z.array(numberSchema), "The numbers."), ...COMMON_ERRORS },
        },
      },
      "/api/v1/numbers/{number}/messages": {
        get: {
          operationId: "listMessages",
          tags: ["Messages"],
          summary: "A number's messages",
          description:
            "Newest first. Pass `next` as `before` for the next older page; with `after`, the messages right after that id. Filters combine with each other and with the cursors.",
          requestParams: { path: numberParams, query: messagesQuery },
          responses: {
            "200": json(messagePageSchema, "A page of messages."),
            ...UNKNOWN_NUMBER,
            ...COMMON_ERRORS,
          },
        },
      },
      "/api/v1/numbers/{number}/stream": {
        get: {
          operationId: "streamMessages",
          tags: ["Messages"],
          summary: "A number's messages as they arrive (Server-Sent Events)",
          description:
            '`event: message`, `id: <message id>`, `data: <a Message as JSON>`; `event: hide`, `data: {"id":…}` when the operator hides one. A comment line every 20 s. Replays what came after `Last-Event-ID` (wins) or `after`, then streams; an EventSource reconnects by itself and misses nothing.',
          requestParams: {
            path: numberParams,
            query: streamQuery,
            header: z.object({
              "Last-Event-ID": lastEventId
                .optional()
                .meta({ description: "Sent by a reconnecting EventSource: the last id it received." }),
            }),
          },
          responses: {
            "200": {
              description: "The stream; each `data:` of a `message` event is a Message (see the schema Message).",
              content: {
                "text/event-stream": {
                  schema: z.string().meta({
                    example:
                      'event: message\nid: 57\ndata: {"id":57,"number":"+998940373339","from":"Telegram","text":"Telegram code: 51234","code":"51234",…}\n\n',
                  }),
                },
              },
            },
            ...UNKNOWN_NUMBER,
            ...COMMON_ERRORS,
            "429": error("`rate_limited`: too many requests, or too many streams open from this address."),
          },
        },
      },
      "/api/v1/numbers/{number}/wait": {
        get: {
          operationId: "waitForMessage",
          tags: ["Messages"],
          summary: "Wait for the next message (long poll)",
          description: `The first message after \`after\` that matches every filter given, as soon as it is stored (or at once if one already is); 204 after \`timeout\` seconds (at most ${waitMaxSeconds} here) without one: call again with the same \`after\`.`,
          requestParams: { path: numberParams, query: waitQuery(waitMaxSeconds) },
          responses: {
            "200": json(messageSchema, "The message."),
            "204": { description: "No matching message arrived in time." },
            ...UNKNOWN_NUMBER,
            ...COMMON_ERRORS,
            "429": error("`rate_limited`: too many requests, or too many waits open from this address."),
          },
        },
      },
      "/api/v1/numbers/{number}/feed.rss": { get: feed("rss", "application/rss+xml", xml) },
      "/api/v1/numbers/{number}/feed.atom": { get: feed("atom", "application/atom+xml", xml) },
      "/api/v1/numbers/{number}/feed.json": { get: feed("json", "application/feed+json", jsonFeed) },
      "/api/v1/services/{slug}/feed.rss": { get: serviceFeed("rss", "application/rss+xml", xml) },
      "/api/v1/services/{slug}/feed.atom": { get: serviceFeed("atom", "application/atom+xml", xml) },
      "/api/v1/services/{slug}/feed.json": { get: serviceFeed("json", "application/feed+json", jsonFeed) },
      "/api/v1/numbers/{number}/reports": {
        post: {
          operationId: "reportNumber",
          tags: ["Reports"],
          summary: "Report that a service's codes don't arrive",
          description:
            "Counted per address (`REPORTS_PER_HOUR`) once the report is valid and about one of our numbers.",
          requestParams: { path: numberParams, query: noQuery },
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: reportInput,
                example: { service: "WhatsApp", note: "nothing for an hour" },
              },
            },
          },
          responses: {
            "201": json(reportSchema, "The stored report."),
            "400": error("`malformed_body` (not JSON), or a query parameter (`unknown_parameter`…)."),
            ...UNKNOWN_NUMBER,
            "413": error("`payload_too_large`: more than 8 KiB."),
            "415": error("`unsupported_media_type`: not application/json."),
            "422": error("`invalid_fields`: the detail names each field that is wrong."),
            "429": error("`rate_limited`: too many reports from this address; `Retry-After` says when."),
            "503": COMMON_ERRORS["503"],
          },
        },
      },
    },
  });
}

type OpenApiDocument = ReturnType<typeof createDocument>;
let built: { key: string; document: OpenApiDocument; text: string } | undefined;

/** The document for this server: built once, on first use (the configuration does not change while it runs). */
export function openApiDocument(): OpenApiDocument {
  const { PUBLIC_URL, WAIT_MAX_SECONDS } = config();
  const key = `${PUBLIC_URL} ${WAIT_MAX_SECONDS}`;
  if (built?.key !== key) {
    const document = build(PUBLIC_URL, WAIT_MAX_SECONDS);
    built = { key, document, text: JSON.stringify(document) };
  }
  return built.document;
}

/** The document as served, serialized once. */
export function openApiDocumentText(): string {
  openApiDocument();
  return built!.text;
}
