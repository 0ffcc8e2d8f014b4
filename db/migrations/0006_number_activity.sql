CREATE TABLE "number_activity" (
	"number" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"messages" integer NOT NULL,
	CONSTRAINT "number_activity_number_bucket_pk" PRIMARY KEY("number","bucket")
);
--> statement-breakpoint
ALTER TABLE "number_activity" ADD CONSTRAINT "number_activity_number_numbers_number_fk" FOREIGN KEY ("number") REFERENCES "public"."numbers"("number") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Filled from the messages a reader may still count (the last 26 h, lib/inbox/activity.ts, with its step and
-- origin), so that an upgraded site keeps its counts.
INSERT INTO "number_activity" ("number", "bucket", "messages")
SELECT "number", date_bin(interval '1 hour', "created_at", timestamptz '2000-01-01 00:00:00+00'), count(*)::int
FROM "messages"
WHERE "created_at" >= date_bin(interval '1 hour', now() - interval '26 hours', timestamptz '2000-01-01 00:00:00+00')
GROUP BY 1, 2;
