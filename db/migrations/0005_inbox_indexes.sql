DROP INDEX "messages_number_id_idx";--> statement-breakpoint
CREATE INDEX "messages_inbox_idx" ON "messages" USING btree ("number","id");--> statement-breakpoint
CREATE INDEX "messages_number_created_at_idx" ON "messages" USING btree ("number","created_at");