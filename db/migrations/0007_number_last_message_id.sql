ALTER TABLE "numbers" ADD COLUMN "last_message_id" bigint;--> statement-breakpoint
-- Filled from the messages already stored, so that an upgraded site's live inboxes can take new ones from hand.
UPDATE "numbers" SET "last_message_id" = (SELECT max("id") FROM "messages" WHERE "messages"."number" = "numbers"."number");
