ALTER TABLE "edit_suggestions" ADD COLUMN "revision_number" integer;--> statement-breakpoint
-- Every change to "plain language" made a version, so each how-to's flag is known for its latest version only: older
-- versions stay unknown rather than guessed, and the history compares the flag only where both sides know it.
UPDATE "revisions" AS r
SET "content" = r."content" || jsonb_build_object('isPlainLanguage', p."is_plain_language")
FROM "posts" AS p
WHERE p."id" = r."post_id" AND p."kind" = 'howto' AND r."number" = p."revision_count";
