ALTER TABLE "spaces" ADD COLUMN "updated_by" text;--> statement-breakpoint
ALTER TABLE "qa_sessions" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "qa_sessions" ADD COLUMN "updated_by" text;--> statement-breakpoint
ALTER TABLE "spaces" ADD CONSTRAINT "spaces_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_sessions" ADD CONSTRAINT "qa_sessions_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;