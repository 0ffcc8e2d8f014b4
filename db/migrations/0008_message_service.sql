-- Substring search (q=) needs trigram indexes. Trusted since Postgres 13: the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
-- Messages stored before this migration read '?' ("not classified yet"): a constant default costs no rewrite of the
-- table, and dropping it leaves them that value while new rows get what the store writes (a slug or null).
-- lib/services/backfill.ts classifies them at start, in TypeScript, with the catalogue itself.
ALTER TABLE "messages" ADD COLUMN "service" text DEFAULT '?';--> statement-breakpoint
ALTER TABLE "messages" ALTER COLUMN "service" DROP DEFAULT;--> statement-breakpoint
CREATE INDEX "messages_service_idx" ON "messages" USING btree ("number","service","id");--> statement-breakpoint
CREATE INDEX "messages_sender_idx" ON "messages" USING btree ("number",lower("sender"),"id");--> statement-breakpoint
CREATE INDEX "messages_text_trgm_idx" ON "messages" USING gin ("text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "messages_sender_trgm_idx" ON "messages" USING gin ("sender" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "messages_not_classified_idx" ON "messages" USING btree ("id") WHERE "messages"."service" = '?';