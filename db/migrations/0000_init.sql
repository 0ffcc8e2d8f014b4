CREATE TABLE "gateways" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"api_key_hash" text NOT NULL,
	"secret" text,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"demo" boolean DEFAULT false NOT NULL,
	"last_seen_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "messages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"number" text NOT NULL,
	"gateway_id" text NOT NULL,
	"source_key" text,
	"content_hash" text NOT NULL,
	"sender" text NOT NULL,
	"text" text NOT NULL,
	"code" text,
	"received_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "numbers" (
	"number" text PRIMARY KEY NOT NULL,
	"country" text NOT NULL,
	"gateway_id" text NOT NULL,
	"sim" integer,
	"status" text DEFAULT 'active' NOT NULL,
	"demo" boolean DEFAULT false NOT NULL,
	"last_message_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_number_numbers_number_fk" FOREIGN KEY ("number") REFERENCES "public"."numbers"("number") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "numbers" ADD CONSTRAINT "numbers_gateway_id_gateways_id_fk" FOREIGN KEY ("gateway_id") REFERENCES "public"."gateways"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "messages_source_key_idx" ON "messages" USING btree ("gateway_id","source_key");--> statement-breakpoint
CREATE INDEX "messages_number_id_idx" ON "messages" USING btree ("number","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "messages_created_at_idx" ON "messages" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "numbers_country_idx" ON "numbers" USING btree ("country");--> statement-breakpoint
CREATE INDEX "numbers_gateway_idx" ON "numbers" USING btree ("gateway_id");