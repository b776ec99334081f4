ALTER TABLE "notifications" ADD COLUMN "previous_starts_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "previous_ends_at" timestamp with time zone;