-- A service across all numbers (lib/inbox/deliverability.ts): its latest messages newest first and its last 7
-- days per number, read as one range of this index whatever the number of numbers.
CREATE INDEX "messages_service_created_at_idx" ON "messages" USING btree ("service","created_at","id");
