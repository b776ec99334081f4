ALTER TABLE "session_questions" ADD COLUMN "edited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "session_questions" ADD COLUMN "withdrawn_at" timestamp with time zone;