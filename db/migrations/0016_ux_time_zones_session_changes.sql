DROP INDEX "notifications_event_idx";--> statement-breakpoint
DROP INDEX "notifications_session_idx";--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "session_question_id" integer;--> statement-breakpoint
ALTER TABLE "qa_sessions" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "time_zone" text;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_session_question_id_session_questions_id_fk" FOREIGN KEY ("session_question_id") REFERENCES "public"."session_questions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_event_idx" ON "notifications" USING btree ("user_id","post_id",coalesce("comment_id", 0),(case when "kind" in ('invitation', 'feedback_request', 'rating', 'thanks') then "kind" else '' end));--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_session_idx" ON "notifications" USING btree ("user_id","session_id","kind",coalesce("session_question_id", 0)) WHERE "notifications"."session_id" is not null;