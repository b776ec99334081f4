CREATE TABLE "impact_events" (
	"helper_id" text NOT NULL,
	"question_id" integer NOT NULL,
	"kind" text NOT NULL,
	"person_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"rating" smallint,
	"plain_rated" boolean DEFAULT false NOT NULL,
	"plain_easy" boolean DEFAULT false NOT NULL,
	CONSTRAINT "impact_events_kind" CHECK ("impact_events"."kind" in ('accepted', 'thanks', 'rating'))
);
--> statement-breakpoint
ALTER TABLE "impact_events" ADD CONSTRAINT "impact_events_question_id_posts_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "impact_events_helper_idx" ON "impact_events" USING btree ("helper_id","at","kind","person_id","rating","plain_rated","plain_easy","question_id");--> statement-breakpoint
CREATE INDEX "impact_events_question_idx" ON "impact_events" USING btree ("question_id");--> statement-breakpoint
CREATE INDEX "howto_feedback_post_idx" ON "howto_feedback" USING btree ("post_id","updated_at");--> statement-breakpoint
-- hand-written
-- impact_events holds, per question, what came back to its answerers (accepted answer, thanks, rating), exactly as
-- My impact counted it from the base tables: peerdesk_impact_refresh(question ids) deletes those questions' rows and
-- computes them again. Triggers call it after every statement that changes posts, answer_thanks or help_ratings in a
-- way that matters, inside the writing transaction, so the page is never stale and no write path can forget it.
-- Its statements are planned once per session (a generic plan: index lookups for a few ids), not at every call.
CREATE OR REPLACE FUNCTION peerdesk_impact_refresh(question_ids int[]) RETURNS void LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  ids int[] := array(SELECT DISTINCT x FROM unnest(question_ids) x WHERE x IS NOT NULL ORDER BY 1);
BEGIN
  IF cardinality(ids) = 0 THEN
    RETURN;
  END IF;
  -- Two transactions refreshing one question at once (two people thanking the same answer) would each keep the rows
  -- the other could not see yet: they take turns per question (in id order, so they cannot deadlock), or, for a bulk
  -- change, for the whole table.
  IF cardinality(ids) > 100 THEN
    LOCK TABLE impact_events IN SHARE ROW EXCLUSIVE MODE;
  ELSE
    PERFORM pg_advisory_xact_lock(1229, x) FROM unnest(ids) x;
  END IF;
  DELETE FROM impact_events WHERE question_id = ANY (ids);
  INSERT INTO impact_events (helper_id, question_id, kind, person_id, at, rating, plain_rated, plain_easy)
  -- The accepted answer's author helped the asker (not when they answered their own question).
  SELECT a.author_id, q.id, 'accepted', q.author_id, coalesce(q.accepted_at, a.created_at), NULL::smallint, false, false
  FROM unnest(ids) x(id)
  JOIN posts q ON q.id = x.id AND q.kind = 'question' AND q.deleted_at IS NULL
  JOIN posts a ON a.id = q.accepted_answer_id AND a.parent_id = q.id AND a.kind = 'answer' AND a.deleted_at IS NULL
  WHERE q.author_id <> a.author_id
  UNION ALL
  -- Thanks reach an answer's author while the answer stands, even on a question deleted since.
  SELECT a.author_id, a.parent_id, 'thanks', t.user_id, t.created_at, NULL::smallint, false, false
  FROM unnest(ids) x(id)
  JOIN posts a ON a.parent_id = x.id AND a.kind = 'answer' AND a.deleted_at IS NULL
  JOIN answer_thanks t ON t.answer_id = a.id
  UNION ALL
  -- A rating reaches the accepted answer's author or, none accepted, everyone who answered; never the rater.
  SELECT DISTINCT ON (q.id, a.author_id) a.author_id, q.id, 'rating', r.rater_id, r.updated_at, r.rating,
    q.is_plain_language AND r.easy_to_understand IS NOT NULL, q.is_plain_language AND coalesce(r.easy_to_understand, false)
  FROM unnest(ids) x(id)
  JOIN posts q ON q.id = x.id AND q.kind = 'question' AND q.deleted_at IS NULL
  JOIN help_ratings r ON r.question_id = q.id
  JOIN posts a ON a.parent_id = q.id AND a.kind = 'answer' AND a.deleted_at IS NULL
  WHERE (q.accepted_answer_id = a.id OR q.accepted_answer_id IS NULL) AND r.rater_id <> a.author_id;
END
$$;
--> statement-breakpoint
-- A new answer can make a rating reach its author (none accepted yet). A new question has nothing yet.
CREATE OR REPLACE FUNCTION peerdesk_impact_posts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM peerdesk_impact_refresh(array(SELECT parent_id FROM impact_new WHERE kind = 'answer'));
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Only the columns the rows are computed from: votes, edits and activity times leave them alone.
CREATE OR REPLACE FUNCTION peerdesk_impact_posts_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM peerdesk_impact_refresh(array(
    SELECT unnest(array[
      CASE WHEN o.kind = 'answer' THEN o.parent_id WHEN o.kind = 'question' THEN o.id END,
      CASE WHEN n.kind = 'answer' THEN n.parent_id WHEN n.kind = 'question' THEN n.id END])
    FROM impact_old o JOIN impact_new n ON n.id = o.id
    WHERE (o.kind, o.parent_id, o.author_id, o.deleted_at, o.accepted_answer_id, o.accepted_at, o.is_plain_language, o.created_at)
      IS DISTINCT FROM (n.kind, n.parent_id, n.author_id, n.deleted_at, n.accepted_answer_id, n.accepted_at, n.is_plain_language, n.created_at)));
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- A deleted question's rows go with it (the foreign key); a deleted answer's question is computed again.
CREATE OR REPLACE FUNCTION peerdesk_impact_posts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM peerdesk_impact_refresh(array(SELECT parent_id FROM impact_old WHERE kind = 'answer'));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION peerdesk_impact_thanks_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM peerdesk_impact_refresh(array(SELECT a.parent_id FROM posts a WHERE a.id IN (SELECT answer_id FROM impact_new)));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION peerdesk_impact_thanks_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM peerdesk_impact_refresh(array(SELECT a.parent_id FROM posts a WHERE a.id IN (SELECT answer_id FROM impact_old)));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION peerdesk_impact_thanks_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM peerdesk_impact_refresh(array(SELECT a.parent_id FROM posts a
    WHERE a.id IN (SELECT answer_id FROM impact_old UNION SELECT answer_id FROM impact_new)));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION peerdesk_impact_ratings_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM peerdesk_impact_refresh(array(SELECT question_id FROM impact_new));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION peerdesk_impact_ratings_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM peerdesk_impact_refresh(array(SELECT question_id FROM impact_old));
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Ratings change rarely (once, then within 24 hours): every updated row's question is computed again.
CREATE OR REPLACE FUNCTION peerdesk_impact_ratings_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM peerdesk_impact_refresh(array(SELECT question_id FROM impact_old UNION SELECT question_id FROM impact_new));
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Transition tables allow one event per trigger, hence three per table; one call per statement, however many rows.
CREATE TRIGGER impact_posts_inserted AFTER INSERT ON posts REFERENCING NEW TABLE AS impact_new
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_impact_posts_inserted();
--> statement-breakpoint
CREATE TRIGGER impact_posts_updated AFTER UPDATE ON posts REFERENCING OLD TABLE AS impact_old NEW TABLE AS impact_new
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_impact_posts_updated();
--> statement-breakpoint
CREATE TRIGGER impact_posts_deleted AFTER DELETE ON posts REFERENCING OLD TABLE AS impact_old
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_impact_posts_deleted();
--> statement-breakpoint
CREATE TRIGGER impact_thanks_inserted AFTER INSERT ON answer_thanks REFERENCING NEW TABLE AS impact_new
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_impact_thanks_inserted();
--> statement-breakpoint
CREATE TRIGGER impact_thanks_updated AFTER UPDATE ON answer_thanks REFERENCING OLD TABLE AS impact_old NEW TABLE AS impact_new
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_impact_thanks_updated();
--> statement-breakpoint
CREATE TRIGGER impact_thanks_deleted AFTER DELETE ON answer_thanks REFERENCING OLD TABLE AS impact_old
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_impact_thanks_deleted();
--> statement-breakpoint
CREATE TRIGGER impact_ratings_inserted AFTER INSERT ON help_ratings REFERENCING NEW TABLE AS impact_new
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_impact_ratings_inserted();
--> statement-breakpoint
CREATE TRIGGER impact_ratings_updated AFTER UPDATE ON help_ratings REFERENCING OLD TABLE AS impact_old NEW TABLE AS impact_new
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_impact_ratings_updated();
--> statement-breakpoint
CREATE TRIGGER impact_ratings_deleted AFTER DELETE ON help_ratings REFERENCING OLD TABLE AS impact_old
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_impact_ratings_deleted();
--> statement-breakpoint
-- Back-fill: every question's rows, computed as any later write will.
SELECT peerdesk_impact_refresh(array(SELECT id FROM posts WHERE kind = 'question'));
