-- Gateways created before key and secret rotation keep their key and secret as the current ones.
UPDATE "gateways" SET "api_key_hashes" = ARRAY["api_key_hash"] WHERE "api_key_hash" IS NOT NULL;--> statement-breakpoint
UPDATE "gateways" SET "secrets" = ARRAY["secret"] WHERE "secret" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "gateways" DROP COLUMN "api_key_hash";--> statement-breakpoint
ALTER TABLE "gateways" DROP COLUMN "secret";