CREATE TABLE "close_votes" (
	"question_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"reason" text,
	"duplicate_of_id" integer,
	"details" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "close_votes_question_id_user_id_kind_pk" PRIMARY KEY("question_id","user_id","kind")
);
--> statement-breakpoint
CREATE TABLE "closing_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "question_closures" (
	"question_id" integer PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"duplicate_of_id" integer,
	"details" text DEFAULT '' NOT NULL,
	"closed_by" text,
	"closed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_trust" (
	"user_id" text PRIMARY KEY NOT NULL,
	"level" smallint NOT NULL,
	"posts_written" integer DEFAULT 0 NOT NULL,
	"upvotes_received" integer DEFAULT 0 NOT NULL,
	"accepted_answers" integer DEFAULT 0 NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_trust_level_range" CHECK ("user_trust"."level" between 0 and 4)
);
--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "is_anonymous" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "close_votes" ADD CONSTRAINT "close_votes_question_id_posts_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "close_votes" ADD CONSTRAINT "close_votes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "close_votes" ADD CONSTRAINT "close_votes_duplicate_of_id_posts_id_fk" FOREIGN KEY ("duplicate_of_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "question_closures" ADD CONSTRAINT "question_closures_question_id_posts_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "question_closures" ADD CONSTRAINT "question_closures_duplicate_of_id_posts_id_fk" FOREIGN KEY ("duplicate_of_id") REFERENCES "public"."posts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "question_closures" ADD CONSTRAINT "question_closures_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_trust" ADD CONSTRAINT "user_trust_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "question_closures_duplicate_of_idx" ON "question_closures" USING btree ("duplicate_of_id");--> statement-breakpoint
-- hand-written
-- Closing or reopening a question changes its public page (banner, answer form, redirect of a duplicate).
CREATE TRIGGER question_closures_page_cache_insert AFTER INSERT ON question_closures REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('question_id');
--> statement-breakpoint
CREATE TRIGGER question_closures_page_cache_update AFTER UPDATE ON question_closures REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('question_id');
--> statement-breakpoint
CREATE TRIGGER question_closures_page_cache_delete AFTER DELETE ON question_closures REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION peerdesk_page_cache_post_rows('question_id');
--> statement-breakpoint
-- Trust levels are stored (user_trust) and recomputed on read once their row is gone: a vote on someone's post, a
-- post written, or an answer accepted drops the row of the person whose level it may change.
CREATE OR REPLACE FUNCTION peerdesk_trust_forget_vote() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM user_trust WHERE user_id IN (
    SELECT p.author_id FROM posts p WHERE p.id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.post_id ELSE NEW.post_id END)
  );
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER votes_trust_forget AFTER INSERT OR UPDATE OR DELETE ON votes
  FOR EACH ROW EXECUTE FUNCTION peerdesk_trust_forget_vote();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION peerdesk_trust_forget_post() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    DELETE FROM user_trust WHERE user_id = NEW.author_id;
  ELSIF NEW.accepted_answer_id IS DISTINCT FROM OLD.accepted_answer_id OR NEW.deleted_at IS DISTINCT FROM OLD.deleted_at THEN
    DELETE FROM user_trust WHERE user_id IN (
      SELECT a.author_id FROM posts a WHERE a.id IN (NEW.accepted_answer_id, OLD.accepted_answer_id)
      UNION SELECT NEW.author_id
    );
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER posts_trust_forget AFTER INSERT OR UPDATE OF accepted_answer_id, deleted_at ON posts
  FOR EACH ROW EXECUTE FUNCTION peerdesk_trust_forget_post();
