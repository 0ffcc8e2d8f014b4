import { z } from "zod";
import { NUMBER_STATUSES } from "@/db/schema";
import type { Country, PublicNumber } from "@/lib/inbox/numbers";
import type { Message } from "@/lib/inbox/message";
import type { MessagePage } from "@/lib/inbox/messages";
import type { Health } from "@/lib/inbox/health";
import type { Report } from "@/lib/moderation/reports";

/*
 * What the public API answers, as zod schemas for the OpenAPI document. The answers themselves are built by the
 * domain (lib/inbox, lib/moderation) with plain TypeScript types; the checks at the end of this file make the
 * compiler refuse a schema that says something else than its type, in either direction.
 */

const isoTime = z.iso.datetime().meta({ example: "2026-11-30T08:41:07.123Z" });

export const messageLinkSchema = z
  .object({
    href: z.string().meta({ description: "Where the link goes.", example: "https://t.me/login/51234" }),
    text: z.string().meta({ description: "The link as written in the text.", example: "t.me/login/51234" }),
  })
  .meta({ id: "MessageLink" });

export const messageSchema = z
  .object({
    id: z
      .int()
      .min(1)
      .meta({ description: "Grows with arrival: the cursor everywhere (after, before, Last-Event-ID)." }),
    number: z.string().meta({ description: "The number that received it, E.164.", example: "+998940373339" }),
    from: z.string().meta({ description: "The sender: a name or a number.", example: "Telegram" }),
    text: z.string().meta({ example: "Telegram code: 51234. Do not give this code to anyone." }),
    code: z
      .string()
      .nullable()
      .meta({ description: "The one-time code found in the text, or null.", example: "51234" }),
    service: z
      .string()
      .nullable()
      .meta({ description: "The slug of the service that sent it, or null when nothing says.", example: "telegram" }),
    links: z.array(messageLinkSchema).meta({ description: "The links in the text that are safe to follow, in order." }),
    receivedAt: isoTime.meta({ description: "When the gateway says it received it (the device's clock)." }),
    createdAt: isoTime.meta({ description: "When Numbox stored it (our clock)." }),
    incomplete: z
      .boolean()
      .meta({ description: "A long message shown after its missing parts stopped being waited for." }),
  })
  .meta({ id: "Message" });

export const messagePageSchema = z
  .object({
    messages: z.array(messageSchema).meta({ description: "Newest first." }),
    next: z
      .int()
      .nullable()
      .meta({ description: "Pass as `before` for the next older page; null when there is nothing older." }),
  })
  .meta({ id: "MessagePage" });

const HEALTHS = ["active", "quiet", "offline", "paused", "retired"] as const satisfies readonly Health[];

export const numberSchema = z
  .object({
    number: z.string().meta({ example: "+998940373339" }),
    digits: z.string().meta({ description: "The number without '+', as in URLs.", example: "998940373339" }),
    country: z.string().meta({ description: "ISO 3166 two-letter code.", example: "UZ" }),
    countryName: z.string().meta({ example: "Uzbekistan" }),
    status: z.enum(NUMBER_STATUSES).meta({ description: "What the operator set." }),
    health: z.enum(HEALTHS).meta({
      description:
        "active: host online, messages arriving; quiet: host online, nothing for 6 h; offline: host not heard from; paused or retired by the operator.",
    }),
    demo: z.boolean().meta({ description: "A demonstration number fed by the server itself." }),
    lastMessageAt: isoTime.nullable(),
    hostSeenAt: isoTime.nullable().meta({ description: "When the number's gateway was last heard from." }),
    messages24h: z.int().min(0).meta({ description: "Messages in the last 24 h (by the hour: up to one hour more)." }),
  })
  .meta({ id: "Number" });

export const countrySchema = z
  .object({
    code: z.string().meta({ example: "UZ" }),
    name: z.string().meta({ example: "Uzbekistan" }),
    numbers: z.int().min(0).meta({ description: "Active numbers in the country." }),
  })
  .meta({ id: "Country" });

export const reportSchema = z
  .object({
    id: z.int().min(1),
    number: z.string().meta({ example: "+998940373339" }),
    service: z.string().meta({ example: "WhatsApp" }),
    note: z.string().nullable().meta({ example: "nothing for an hour" }),
    createdAt: isoTime,
  })
  .meta({ id: "Report" });

export const errorSchema = z
  .object({
    error: z
      .string()
      .meta({ description: "A code of the catalogue (README, Error codes).", example: "unknown_number" }),
    detail: z.string().meta({
      description: "What exactly was wrong, in a sentence.",
      example: "+998900000000 is not one of our numbers.",
    }),
  })
  .meta({ id: "Error" });

// Both directions: the answer fits the schema, and the schema promises nothing the answer lacks.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const agree = <T extends true>(): T | undefined => undefined;
agree<Same<z.infer<typeof messageSchema>, Message>>();
agree<Same<z.infer<typeof messagePageSchema>, MessagePage>>();
agree<Same<z.infer<typeof numberSchema>, PublicNumber>>();
agree<Same<z.infer<typeof countrySchema>, Country>>();
agree<Same<z.infer<typeof reportSchema>, Report>>();
