ALTER TABLE "users" ADD COLUMN "mentor_pitch" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "languages" text DEFAULT '' NOT NULL;