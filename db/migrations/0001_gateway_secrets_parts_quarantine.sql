CREATE TABLE "inbound_quarantine" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "inbound_quarantine_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"gateway_id" text NOT NULL,
	"method" text NOT NULL,
	"url" text NOT NULL,
	"headers" jsonb NOT NULL,
	"body_base64" text NOT NULL,
	"error" text NOT NULL,
	"detail" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "message_parts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "message_parts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"gateway_id" text NOT NULL,
	"number" text NOT NULL,
	"sender" text NOT NULL,
	"ref" text NOT NULL,
	"total" integer NOT NULL,
	"part" integer NOT NULL,
	"source_key" text,
	"content_hash" text NOT NULL,
	"text" text NOT NULL,
	"ucs2" text,
	"received_at" timestamp with time zone,
	"message_id" bigint,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "gateways" ALTER COLUMN "api_key_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "gateways" ADD COLUMN "api_key_hashes" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "gateways" ADD COLUMN "secrets" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "segments" integer;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "incomplete" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "message_parts" ADD CONSTRAINT "message_parts_number_numbers_number_fk" FOREIGN KEY ("number") REFERENCES "public"."numbers"("number") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inbound_quarantine_created_at_idx" ON "inbound_quarantine" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "message_parts_source_key_idx" ON "message_parts" USING btree ("gateway_id","source_key");--> statement-breakpoint
CREATE INDEX "message_parts_group_idx" ON "message_parts" USING btree ("gateway_id","number","sender","ref","total");--> statement-breakpoint
CREATE INDEX "message_parts_pending_idx" ON "message_parts" USING btree ("expires_at") WHERE "message_parts"."message_id" is null;