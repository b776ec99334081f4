CREATE TABLE "answer_thanks" (
	"answer_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "answer_thanks_answer_id_user_id_pk" PRIMARY KEY("answer_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "help_ratings" (
	"question_id" integer PRIMARY KEY NOT NULL,
	"rater_id" text NOT NULL,
	"rating" smallint NOT NULL,
	"easy_to_understand" boolean,
	"comment" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "help_ratings_rating_range" CHECK ("help_ratings"."rating" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "question_facts" (
	"question_id" integer PRIMARY KEY NOT NULL,
	"space_id" integer NOT NULL,
	"asker_id" text NOT NULL,
	"asked_at" timestamp with time zone NOT NULL,
	"is_plain_language" boolean NOT NULL,
	"is_deleted" boolean NOT NULL,
	"first_response_at" timestamp with time zone,
	"first_answer_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"rating" smallint,
	"easy_to_understand" boolean
);
--> statement-breakpoint
DROP INDEX "notifications_event_idx";--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "accepted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "answer_thanks" ADD CONSTRAINT "answer_thanks_answer_id_posts_id_fk" FOREIGN KEY ("answer_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answer_thanks" ADD CONSTRAINT "answer_thanks_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_ratings" ADD CONSTRAINT "help_ratings_question_id_posts_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_ratings" ADD CONSTRAINT "help_ratings_rater_id_users_id_fk" FOREIGN KEY ("rater_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "question_facts" ADD CONSTRAINT "question_facts_question_id_posts_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "answer_thanks_created_idx" ON "answer_thanks" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "help_ratings_created_idx" ON "help_ratings" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "question_facts_asked_idx" ON "question_facts" USING btree ("asked_at") WHERE not "question_facts"."is_deleted";--> statement-breakpoint
CREATE INDEX "question_facts_space_asked_idx" ON "question_facts" USING btree ("space_id","asked_at") WHERE not "question_facts"."is_deleted";--> statement-breakpoint
CREATE INDEX "question_facts_unanswered_idx" ON "question_facts" USING btree ("space_id","asked_at") WHERE not "question_facts"."is_deleted" and "question_facts"."first_answer_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_event_idx" ON "notifications" USING btree ("user_id","post_id",coalesce("comment_id", 0),(case when "kind" in ('invitation', 'feedback_request') then "kind" else '' end));--> statement-breakpoint
-- Questions accepted before this migration: the best known moment is when the accepted answer was written.
UPDATE "posts" q SET "accepted_at" = greatest(a."created_at", q."created_at") FROM "posts" a WHERE a."id" = q."accepted_answer_id" AND q."accepted_at" IS NULL;
