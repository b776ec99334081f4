CREATE INDEX "users_created_handle_idx" ON "users" USING btree ("created_at","handle");--> statement-breakpoint
CREATE INDEX "qa_sessions_listed_created_idx" ON "qa_sessions" USING btree ("created_at","id") WHERE "qa_sessions"."cancelled_at" is null;--> statement-breakpoint
CREATE INDEX "qa_sessions_host_idx" ON "qa_sessions" USING btree ("host_id");--> statement-breakpoint
CREATE INDEX "notifications_session_kind_idx" ON "notifications" USING btree ("session_id","kind") WHERE "notifications"."session_id" is not null;