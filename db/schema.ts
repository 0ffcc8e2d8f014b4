import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

/** A source of inbound SMS: a modem host, a phone, or a provider account. */
export const gateways = pgTable("gateways", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  kind: text("kind").notNull(),
  // SHA-256 of the API keys (the current one first; a second one stays valid during a rotation). A key itself is
  // shown once, when it is made.
  apiKeyHashes: text("api_key_hashes").array().notNull().default([]),
  // The provider's signing secrets (Twilio auth token, Telnyx public key, …): current first, previous second.
  // Kept as given: verifying a signature needs them.
  secrets: text("secrets").array().notNull().default([]),
  config: jsonb("config").$type<Record<string, unknown>>().notNull().default({}),
  demo: boolean("demo").notNull().default(false),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true, mode: "date" }),
  // When the operator was told this gateway went silent (lib/alerts); null while it is not silent. Set and
  // cleared by one UPDATE each, so that of several instances exactly one tells of each change.
  offlineAlertedAt: timestamp("offline_alerted_at", { withTimezone: true, mode: "date" }),
  createdAt: createdAt(),
});

export const NUMBER_STATUSES = ["active", "paused", "retired"] as const;
export type NumberStatus = (typeof NUMBER_STATUSES)[number];

/** One of our phone numbers, public at /numbers/{digits}. */
export const numbers = pgTable(
  "numbers",
  {
    // E.164 with the plus sign.
    number: text("number").primaryKey(),
    country: text("country").notNull(),
    gatewayId: text("gateway_id")
      .notNull()
      .references(() => gateways.id),
    // SIM slot on a multi-SIM host; null when the gateway has one number.
    sim: integer("sim"),
    status: text("status").$type<NumberStatus>().notNull().default("active"),
    demo: boolean("demo").notNull().default(false),
    lastMessageAt: timestamp("last_message_at", { withTimezone: true, mode: "date" }),
    // The id of its newest message, written with it (lib/inbox/activity.ts): a store that locks this row learns
    // which message came just before its own, so that live inboxes can take its messages from hand.
    lastMessageId: bigint("last_message_id", { mode: "number" }),
    createdAt: createdAt(),
  },
  (t) => [index("numbers_country_idx").on(t.country), index("numbers_gateway_idx").on(t.gatewayId)],
);

/** An SMS received by one of our numbers. `id` is the cursor everywhere: it grows with arrival. */
export const messages = pgTable(
  "messages",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    number: text("number")
      .notNull()
      .references(() => numbers.number, { onDelete: "cascade" }),
    gatewayId: text("gateway_id").notNull(),
    // The source's own id for the message (idempotency key); null when the source gave none.
    sourceKey: text("source_key"),
    // Detects a retry that reuses a key for different content.
    contentHash: text("content_hash").notNull(),
    sender: text("sender").notNull(),
    text: text("text").notNull(),
    code: text("code"),
    // The service that sent it (lib/services: `google`, `whatsapp`, a sender name's own slug), null when nothing
    // says (a plain number whose text names none). Set once, when the message is stored.
    service: text("service"),
    // How many SMS parts formed the text, when known.
    segments: integer("segments"),
    // Joined from parts after the wait for the missing ones ran out: shown with a note, never dropped.
    incomplete: boolean("incomplete").notNull().default(false),
    // Hidden by the operator: gone from pages, the API, the stream and wait, but the row (the fact that a message
    // arrived, its sender and time) stays until the purge.
    hidden: boolean("hidden").notNull().default(false),
    // The source's clock: shown, never trusted for ordering.
    receivedAt: timestamp("received_at", { withTimezone: true, mode: "date" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    // NULLs are distinct in a unique index, so messages without a source key never collide.
    uniqueIndex("messages_source_key_idx").on(t.gatewayId, t.sourceKey),
    // Plain ascending: scanned forwards for `after=` and backwards for the newest first. A DESC index is created
    // NULLS LAST, which `ORDER BY id DESC` (NULLS FIRST) cannot use: a quiet inbox then read the whole table.
    index("messages_inbox_idx").on(t.number, t.id),
    // The last day's count per number (number lists and health) reads a range of this, not the inbox.
    index("messages_number_created_at_idx").on(t.number, t.createdAt),
    index("messages_created_at_idx").on(t.createdAt),
    // The inbox filtered by service (`service=`) and by sender (`from=`, case-insensitive), newest first.
    index("messages_service_idx").on(t.number, t.service, t.id),
    // A service across all numbers (lib/inbox/deliverability.ts): its latest messages newest first, and the
    // range of the last 7 days its per-number counts read, whatever the number.
    index("messages_service_created_at_idx").on(t.service, t.createdAt, t.id),
    index("messages_sender_idx").on(t.number, sql`lower(${t.sender})`, t.id),
    // No index for substring search (`q=`, ILIKE '%…%'): it reads a bounded range of one of the above instead
    // (lib/inbox/messages.ts, lib/inbox/deliverability.ts). Trigram indexes (migration 0008, dropped by 0013)
    // doubled the cost of every INSERT, paid while the numbers' locks are held.
    // Messages stored before services existed, until classified at start (lib/services/backfill.ts): empty once
    // done, and what lets each later start find that out without reading the table.
    index("messages_not_classified_idx")
      .on(t.id)
      .where(sql`${t.service} = '?'`),
  ],
);

/**
 * The read model of a number's traffic: how many messages it received per bucket of our clock (created_at, binned
 * by lib/inbox/activity.ts). Written in the transaction that stores the messages, under the number's lock; the
 * purge drops old buckets and recounts a number's recent ones after deleting recent messages. Pages read a few
 * rows of this instead of counting messages.
 */
export const numberActivity = pgTable(
  "number_activity",
  {
    number: text("number")
      .notNull()
      .references(() => numbers.number, { onDelete: "cascade" }),
    bucket: timestamp("bucket", { withTimezone: true, mode: "date" }).notNull(),
    // Arrivals, hidden ones included: hiding a message does not undo that it arrived.
    messages: integer("messages").notNull(),
  },
  (t) => [primaryKey({ columns: [t.number, t.bucket] })],
);

/**
 * The read model of a service's traffic (lib/inbox/service-activity.ts): arrivals per service, number and hour of
 * our clock, for the service pages' 24 h and 7 d counts. Keyed by service first (one service across the numbers,
 * its last day a tight range), with an index by number (one inbox's services, the purge's recount).
 */
export const serviceActivity = pgTable(
  "service_activity",
  {
    service: text("service").notNull(),
    number: text("number")
      .notNull()
      .references(() => numbers.number, { onDelete: "cascade" }),
    bucket: timestamp("bucket", { withTimezone: true, mode: "date" }).notNull(),
    // Arrivals, hidden ones included, like number_activity.
    arrivals: integer("arrivals").notNull(),
    // The latest created_at in the bucket: "received it lately?" and "when last" are then exact, not to the hour.
    lastAt: timestamp("last_at", { withTimezone: true, mode: "date" }).notNull(),
    // The greatest sender in the bucket: how a service outside the catalogue is named ("VM-HDFCBK").
    sender: text("sender").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.service, t.bucket, t.number] }),
    index("service_activity_number_idx").on(t.number, t.bucket),
  ],
);

export type Gateway = typeof gateways.$inferSelect;
export type NumberRow = typeof numbers.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;

/**
 * Parts of a concatenated SMS that the source delivered one by one (Vonage SMS API, raw modem parts). Each part
 * is stored as it comes (idempotent on its own key); the joined message is emitted when the last one arrives, or
 * marked incomplete when the wait runs out. A part is never dropped.
 */
export const messageParts = pgTable(
  "message_parts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    gatewayId: text("gateway_id").notNull(),
    number: text("number")
      .notNull()
      .references(() => numbers.number, { onDelete: "cascade" }),
    sender: text("sender").notNull(),
    ref: text("ref").notNull(),
    total: integer("total").notNull(),
    part: integer("part").notNull(),
    sourceKey: text("source_key"),
    contentHash: text("content_hash").notNull(),
    text: text("text").notNull(),
    // UCS-2 parts keep their bytes (base64): they are joined before decoding.
    ucs2: text("ucs2"),
    receivedAt: timestamp("received_at", { withTimezone: true, mode: "date" }),
    // Set once the part went into a message.
    messageId: bigint("message_id", { mode: "number" }),
    // When to stop waiting for the other parts and emit what we have.
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("message_parts_source_key_idx").on(t.gatewayId, t.sourceKey),
    index("message_parts_group_idx").on(t.gatewayId, t.number, t.sender, t.ref, t.total),
    index("message_parts_pending_idx")
      .on(t.expiresAt)
      .where(sql`${t.messageId} is null`),
  ],
);

/**
 * Authenticated requests that failed validation, kept with their raw body before the 4xx so that nothing a real
 * source sent is lost: the operator can see (and later replay) them.
 */
export const inboundQuarantine = pgTable(
  "inbound_quarantine",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    gatewayId: text("gateway_id").notNull(),
    method: text("method").notNull(),
    // The public URL with secrets (key=, sig=, sign=) masked.
    url: text("url").notNull(),
    headers: jsonb("headers").$type<Record<string, string>>().notNull(),
    bodyBase64: text("body_base64").notNull(),
    error: text("error").notNull(),
    detail: text("detail").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("inbound_quarantine_created_at_idx").on(t.createdAt)],
);

export type MessagePartRow = typeof messageParts.$inferSelect;
export type QuarantineRow = typeof inboundQuarantine.$inferSelect;

/**
 * Who runs a periodic job (the purge) until when, when several instances share a database: a lease taken with
 * one atomic UPDATE works the same on PGlite and Postgres, unlike session advisory locks over a pool.
 */
export const leases = pgTable("leases", {
  name: text("name").primaryKey(),
  holder: text("holder").notNull(),
  until: timestamp("until", { withTimezone: true, mode: "date" }).notNull(),
});

/**
 * The operator's redaction rules, applied at ingest before a message is stored: by sender (exact, case-insensitive)
 * and/or by a pattern on the text. The message is still stored (sender, time), its text redacted.
 */
export const redactions = pgTable("redactions", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  // Null: any sender.
  sender: text("sender"),
  // A JavaScript regular expression, applied case-insensitively to every match; null: the whole text.
  pattern: text("pattern"),
  replacement: text("replacement").notNull().default("[hidden]"),
  createdAt: createdAt(),
});

/** A visitor's "codes from this service don't arrive on this number", for the operator. */
export const reports = pgTable(
  "reports",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    number: text("number")
      .notNull()
      .references(() => numbers.number, { onDelete: "cascade" }),
    service: text("service").notNull(),
    note: text("note"),
    createdAt: createdAt(),
  },
  (t) => [index("reports_created_at_idx").on(t.createdAt)],
);

export type RedactionRow = typeof redactions.$inferSelect;
export type ReportRow = typeof reports.$inferSelect;
