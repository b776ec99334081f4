ALTER TABLE "edit_suggestions" ADD COLUMN "base_revision" integer;--> statement-breakpoint
-- hand-written
-- Suggestions made before this column: the version the how-to had when the suggestion was last sent is the best guess.
UPDATE "edit_suggestions" s SET "base_revision" = (
  SELECT max(r."number") FROM "revisions" r WHERE r."post_id" = s."post_id" AND r."created_at" <= s."created_at"
);
