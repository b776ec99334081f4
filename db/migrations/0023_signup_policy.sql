CREATE TABLE "signup_invitations" (
	"id" text PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"max_uses" integer NOT NULL,
	"uses" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "signup_invitations_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "signup_invitations_uses" CHECK ("signup_invitations"."uses" >= 0 and "signup_invitations"."uses" <= "signup_invitations"."max_uses" and "signup_invitations"."max_uses" >= 1)
);
--> statement-breakpoint
CREATE TABLE "signup_policy" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"allowed_domains" text[] DEFAULT '{}'::text[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "signup_policy_single_row" CHECK ("signup_policy"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE "signup_invitations" ADD CONSTRAINT "signup_invitations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signup_policy" ADD CONSTRAINT "signup_policy_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "signup_invitations_created_idx" ON "signup_invitations" USING btree ("created_at");--> statement-breakpoint
-- hand-written
-- Email verification on sign-up starts with this release: everyone who joined before it counts as verified (their
-- address was never asked to be confirmed, and they keep posting as before).
UPDATE "users" SET "email_verified" = true WHERE "email_verified" = false;
