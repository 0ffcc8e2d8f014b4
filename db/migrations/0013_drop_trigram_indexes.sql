-- Substring search (`q=`) no longer uses an index of its own: within a number it reads that inbox's messages (at
-- most MAX_MESSAGES_PER_NUMBER), on a service page the service's latest few thousand (lib/inbox/deliverability.ts).
-- These two GIN indexes made every INSERT into messages about twice as costly, and the store pays that while it
-- holds the numbers' locks. pg_trgm itself stays: migration 0008 creates it on every new database.
DROP INDEX "messages_text_trgm_idx";--> statement-breakpoint
DROP INDEX "messages_sender_trgm_idx";
