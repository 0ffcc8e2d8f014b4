CREATE TABLE "service_activity" (
	"service" text NOT NULL,
	"number" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"arrivals" integer NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	"sender" text NOT NULL,
	CONSTRAINT "service_activity_service_bucket_number_pk" PRIMARY KEY("service","bucket","number")
);
--> statement-breakpoint
ALTER TABLE "service_activity" ADD CONSTRAINT "service_activity_number_numbers_number_fk" FOREIGN KEY ("number") REFERENCES "public"."numbers"("number") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "service_activity_number_idx" ON "service_activity" USING btree ("number","bucket");--> statement-breakpoint
-- Filled from the messages a reader may still count (the last 170 h, lib/inbox/service-activity.ts, with the step
-- and origin of lib/inbox/activity.ts), so that an upgraded site keeps its service pages. Messages still waiting
-- for lib/services/backfill.ts ('?') are added by it when it classifies them.
INSERT INTO "service_activity" ("service", "number", "bucket", "arrivals", "last_at", "sender")
SELECT "service", "number", date_bin(interval '1 hour', "created_at", timestamptz '2000-01-01 00:00:00+00'),
       count(*)::int, max("created_at"), max("sender")
FROM "messages"
WHERE "created_at" >= date_bin(interval '1 hour', now() - interval '170 hours', timestamptz '2000-01-01 00:00:00+00')
  AND "service" IS NOT NULL AND "service" <> '?'
GROUP BY 1, 2, 3;
