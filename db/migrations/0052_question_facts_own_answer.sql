ALTER TABLE "question_facts" ADD COLUMN "accepts_own_answer" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "drafts_updated_idx" ON "drafts" USING btree ("updated_at");--> statement-breakpoint
-- Questions whose accepted answer is the asker's own, as refreshQuestionFacts now records them.
UPDATE "question_facts" AS f SET "accepts_own_answer" = true
  FROM "posts" AS q JOIN "posts" AS a ON a."id" = q."accepted_answer_id"
  WHERE f."question_id" = q."id" AND a."author_id" = q."author_id";
--> statement-breakpoint
-- Search's "unanswered" now leaves closed questions out, as the question lists do (isWaitingForAnswer): the
-- closed questions' documents are indexed again by the drain, in whichever engine is configured.
INSERT INTO "search_outbox" ("post_id", "op")
  SELECT c."question_id", 'upsert' FROM "question_closures" AS c
  JOIN "posts" AS q ON q."id" = c."question_id" WHERE q."deleted_at" IS NULL;
