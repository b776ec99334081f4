-- One two-factor row per person: where two set-ups started at once left two, keep the confirmed one (better-auth counts
-- a null "verified" as confirmed), else the newest as far as the table can tell (it keeps no creation time: the row
-- stored last).
DELETE FROM "two_factors" WHERE "ctid" IN (SELECT "ctid" FROM (SELECT "ctid", row_number() OVER (PARTITION BY "user_id" ORDER BY coalesce("verified", true) DESC, "ctid" DESC) AS "rank" FROM "two_factors") AS "ranked" WHERE "rank" > 1);--> statement-breakpoint
DROP INDEX "two_factors_user_idx";--> statement-breakpoint
ALTER TABLE "signup_invitations" ADD COLUMN "email_hashes" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "two_factors_user_unique" ON "two_factors" USING btree ("user_id");