import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
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
  // SHA-256 of the API key; the key itself is shown once, at creation.
  apiKeyHash: text("api_key_hash").notNull(),
  // A provider's signing secret (Twilio auth token, …). Kept as given: verifying a signature needs it.
  secret: text("secret"),
  config: jsonb("config").$type<Record<string, unknown>>().notNull().default({}),
  demo: boolean("demo").notNull().default(false),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true, mode: "date" }),
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
    // The source's clock: shown, never trusted for ordering.
    receivedAt: timestamp("received_at", { withTimezone: true, mode: "date" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    // NULLs are distinct in a unique index, so messages without a source key never collide.
    uniqueIndex("messages_source_key_idx").on(t.gatewayId, t.sourceKey),
    index("messages_number_id_idx").on(t.number, t.id.desc()),
    index("messages_created_at_idx").on(t.createdAt),
  ],
);

export type Gateway = typeof gateways.$inferSelect;
export type NumberRow = typeof numbers.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
