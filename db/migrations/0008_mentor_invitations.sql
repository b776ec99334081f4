CREATE TABLE "mentor_invitations" (
	"id" serial PRIMARY KEY NOT NULL,
	"question_id" integer NOT NULL,
	"inviter_id" text NOT NULL,
	"invitee_id" text NOT NULL,
	"declined_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "notifications_event_idx";--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "invitations_paused" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "mentor_invitations" ADD CONSTRAINT "mentor_invitations_question_id_posts_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentor_invitations" ADD CONSTRAINT "mentor_invitations_inviter_id_users_id_fk" FOREIGN KEY ("inviter_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentor_invitations" ADD CONSTRAINT "mentor_invitations_invitee_id_users_id_fk" FOREIGN KEY ("invitee_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "mentor_invitations_pair_idx" ON "mentor_invitations" USING btree ("question_id","invitee_id");--> statement-breakpoint
CREATE INDEX "mentor_invitations_invitee_idx" ON "mentor_invitations" USING btree ("invitee_id");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_event_idx" ON "notifications" USING btree ("user_id","post_id",coalesce("comment_id", 0),("kind" = 'invitation'));