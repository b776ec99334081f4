ALTER TABLE "session_questions" ADD COLUMN "hidden_at" timestamp with time zone;--> statement-breakpoint
-- hand-written
-- Session questions moderation hid (a pending or removed hold, or upheld flags) were only set to 'skipped', from 'open',
-- and stayed on the page. They are hidden now; one skipped without an answer time was open (a host's skip sets it).
UPDATE session_questions q
SET hidden_at = now(),
  state = CASE WHEN q.state = 'skipped' AND q.answered_at IS NULL THEN 'open' ELSE q.state END
WHERE q.hidden_at IS NULL AND (
  EXISTS (SELECT 1 FROM content_holds h
    WHERE h.target_type = 'session_question' AND h.target_id = q.id::text AND h.status IN ('pending', 'removed'))
  OR EXISTS (SELECT 1 FROM flags f
    WHERE f.target_type = 'session_question' AND f.target_id = q.id::text AND f.status = 'upheld'));
--> statement-breakpoint
-- Answered ones among them leave search (the indexer drops what it can no longer load).
INSERT INTO search_outbox (post_id, op) SELECT -id, 'upsert' FROM session_questions WHERE hidden_at IS NOT NULL AND state = 'answered';
