-- Raised by the statement that stores messages when a source key it inserts was stored before with other content
-- (lib/ingest/store.ts: ON CONFLICT … DO UPDATE calls it only then). An error inside the statement rolls the
-- whole batch back with no transaction around it, and it sees the earlier row even when that committed after the
-- statement began, which a read in the same statement would not. SQLSTATE NB409 is ours; the key is the detail.
CREATE FUNCTION "numbox_idempotency_conflict"("source_key" text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'idempotency conflict' USING ERRCODE = 'NB409', DETAIL = "source_key";
END
$$;
