import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { Db } from "@/db/client";
import { DEFAULT_WAIT_SECONDS, MAX_SEARCH_LENGTH, MAX_SENDER_LENGTH, MESSAGES_MAX_LIMIT } from "@/lib/api/schemas";
import { AppError } from "@/lib/errors";
import { numbersThatReceived } from "@/lib/inbox/by-service";
import { listMessages } from "@/lib/inbox/messages";
import { isOurNumber, listCountries, listNumbers } from "@/lib/inbox/numbers";
import { parseNumberParam, unknownNumber } from "@/lib/inbox/params";
import { nextMessage } from "@/lib/live/next-message";
import { MAX_SLUG_LENGTH } from "@/lib/services/service";

/**
 * The MCP server's tools, for AI agents that sign up or test with a Numbox number: read-only, and each calls the
 * same domain functions as the public API's routes. Built per request (the server is stateless); what a request
 * needs from its door — the database, the wait slot of its address, its abort signal — comes in `door`.
 */
export type McpDoor = {
  db: Db;
  waitMaxSeconds: number;
  // Takes one of the address's wait slots (the same as the wait route's), or throws 429; returns its release.
  occupyWait: () => () => void;
  signal: AbortSignal;
};

const DAY_MS = 24 * 60 * 60 * 1000;
const HEALTHS = ["active", "quiet", "offline", "paused", "retired"] as const;

const numberInput = z
  .string()
  .describe("One of Numbox's numbers, E.164 with or without '+', e.g. +998940373339 (from list_numbers).");
const fromInput = z.string().min(1).max(MAX_SENDER_LENGTH).describe("The sender, exactly but for case: 'Telegram'.");
const serviceInput = z
  .string()
  .min(1)
  .max(MAX_SLUG_LENGTH)
  .describe("A service's slug, lower case: 'google', 'whatsapp', 'telegram'. Matches all of its sender names.");
const cursorInput = z.int().min(0);

function answer(value: unknown): CallToolResult {
  return { content: [{ type: "text", text: JSON.stringify(value) }] };
}

// A refusal the agent can act on (an unknown number, too many waits): the API's detail, as a tool error.
async function refusals(run: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppError) return { isError: true, content: [{ type: "text", text: error.detail }] };
    throw error;
  }
}

async function ourNumber(db: Db, raw: string): Promise<string> {
  const number = parseNumberParam(raw);
  if (!number) throw new AppError("invalid_number_param", "The number must be in E.164 form, with or without '+'.");
  if (!(await isOurNumber(db, number))) throw unknownNumber(number);
  return number;
}

export function numboxMcpServer(door: McpDoor): McpServer {
  const server = new McpServer({ name: "numbox", version: "1.0.0" });
  const readOnly = { readOnlyHint: true, openWorldHint: false } as const;

  server.registerTool(
    "list_countries",
    {
      title: "List countries",
      description:
        'The countries Numbox has numbers in, as JSON: [{"code":"UZ","name":"Uzbekistan","numbers":3}], `numbers` counting the active ones. Then call list_numbers with a country code.',
      annotations: readOnly,
    },
    () => refusals(async () => answer(await listCountries(door.db))),
  );

  server.registerTool(
    "list_numbers",
    {
      title: "List numbers",
      description:
        "Public phone numbers that receive text messages, most recently active first, as JSON: [{number, country, health, lastMessageAt, messages24h, …}]. Pick one with health 'active'; with `service`, only numbers that received a message from that service in the last 24 hours (the ones that work for it now). Anyone can read these inboxes: never use them for anything private.",
      inputSchema: {
        country: z
          .string()
          .regex(/^[A-Za-z]{2}$/)
          .optional()
          .describe("ISO 3166 two-letter code: 'UZ'."),
        service: serviceInput.optional(),
        health: z
          .enum(HEALTHS)
          .optional()
          .describe("active: messages arriving; quiet: nothing for 6 h; offline: its modem is not heard from."),
      },
      annotations: readOnly,
    },
    ({ country, service, health }) =>
      refusals(async () => {
        let numbers = await listNumbers(door.db, { country: country?.toUpperCase() });
        if (health) numbers = numbers.filter((n) => n.health === health);
        if (service) {
          const received = await numbersThatReceived(door.db, service, new Date(Date.now() - DAY_MS));
          numbers = numbers.filter((n) => received.has(n.number));
        }
        return answer(numbers);
      }),
  );

  server.registerTool(
    "get_messages",
    {
      title: "Get a number's messages",
      description:
        'A number\'s messages, newest first, as JSON: {"messages":[{id, from, text, code, service, links, receivedAt, …}],"next":<id|null>}. `code` is the one-time code found in the text. With `after`, only the messages after that id. To wait for a code that has not arrived yet, use wait_for_code instead of calling this repeatedly.',
      inputSchema: {
        number: numberInput,
        after: cursorInput.optional().describe("Only messages after this message id."),
        from: fromInput.optional(),
        service: serviceInput.optional(),
        q: z.string().min(2).max(MAX_SEARCH_LENGTH).optional().describe("Words in the sender or the text."),
        limit: z.int().min(1).max(MESSAGES_MAX_LIMIT).optional().describe("How many (default 20)."),
      },
      annotations: readOnly,
    },
    ({ number, after, from, service, q, limit }) =>
      refusals(async () => {
        const e164 = await ourNumber(door.db, number);
        return answer(await listMessages(door.db, e164, { after, from, service, q, limit: limit ?? 20 }));
      }),
  );

  const longest = door.waitMaxSeconds;
  server.registerTool(
    "wait_for_code",
    {
      title: "Wait for a code",
      description: `Waits for the next message to a number that matches (sender, service, words in the text) and returns it as JSON {id, from, text, code, service, …}; \`code\` is the one-time code. Call it right before you trigger the SMS (or pass \`after\`: the newest message id you saw) so an earlier message is not taken for the new one. On timeout it says so and gives the \`after\` to call it with again: call again with that \`after\`, or after a few timeouts pick another number (list_numbers with the service) — the sender may not deliver to this one.`,
      inputSchema: {
        number: numberInput,
        from: fromInput.optional(),
        service: serviceInput.optional(),
        contains: z.string().min(1).max(MAX_SEARCH_LENGTH).optional().describe("Words the text must contain."),
        after: cursorInput
          .optional()
          .describe("Only messages after this id count. Default: the newest now, i.e. wait for the next one."),
        timeout: z
          .int()
          .min(1)
          .max(longest)
          .optional()
          .describe(`Seconds to wait, at most ${longest} (default ${Math.min(DEFAULT_WAIT_SECONDS, longest)}).`),
      },
      annotations: readOnly,
    },
    ({ number, from, service, contains, after, timeout }, extra) =>
      refusals(async () => {
        const e164 = await ourNumber(door.db, number);
        const seconds = timeout ?? Math.min(DEFAULT_WAIT_SECONDS, longest);
        const release = door.occupyWait();
        try {
          const found = await nextMessage(door.db, e164, {
            filter: { from, service, contains },
            after,
            timeoutMs: seconds * 1000,
            signal: AbortSignal.any([door.signal, extra.signal]),
          });
          if (found.message) return answer(found.message);
          return answer({
            timedOut: true,
            after: found.after,
            hint: `No matching message arrived in ${seconds} s. Call wait_for_code again with after=${found.after} to keep waiting without missing one, or try another number.`,
          });
        } finally {
          release();
        }
      }),
  );

  return server;
}
