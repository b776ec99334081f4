CREATE TABLE "post_image_refs" (
	"hash" text NOT NULL,
	"source_type" text NOT NULL,
	"source_key" text NOT NULL,
	CONSTRAINT "post_image_refs_source_type_source_key_hash_pk" PRIMARY KEY("source_type","source_key","hash")
);
--> statement-breakpoint
ALTER TABLE "post_images" ADD COLUMN "removed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "post_images" ADD COLUMN "removed_by" text;--> statement-breakpoint
CREATE INDEX "post_image_refs_hash_idx" ON "post_image_refs" USING btree ("hash","source_type");--> statement-breakpoint
ALTER TABLE "post_images" ADD CONSTRAINT "post_images_removed_by_users_id_fk" FOREIGN KEY ("removed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- hand-written
-- Where each post picture is used (app/models/post-images.server.ts): every row of these tables that mentions
-- /images/<hash>.webp anywhere (Markdown, HTML, a how-to's steps, a revision's or draft's JSON) has one row per
-- picture in post_image_refs, kept by these triggers so that no write path (editing, importing, re-rendering,
-- cascading deletes) can forget it. Rows without "/images/" before and after (nearly all) cost one strpos.
CREATE OR REPLACE FUNCTION peerdesk_post_image_refs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  source text := TG_ARGV[0];
  old_row jsonb;
  new_row jsonb;
BEGIN
  IF TG_OP <> 'INSERT' THEN old_row := to_jsonb(OLD); END IF;
  IF TG_OP <> 'DELETE' THEN new_row := to_jsonb(NEW); END IF;
  IF coalesce(strpos(old_row::text, '/images/'), 0) = 0 AND coalesce(strpos(new_row::text, '/images/'), 0) = 0 THEN
    RETURN NULL;
  END IF;
  IF old_row IS NOT NULL THEN
    DELETE FROM post_image_refs WHERE source_type = source AND source_key = CASE
      WHEN source = 'draft' THEN (old_row->>'user_id') || ':' || (old_row->>'draft_key') ELSE old_row->>'id' END;
  END IF;
  IF new_row IS NOT NULL THEN
    INSERT INTO post_image_refs (hash, source_type, source_key)
      SELECT DISTINCT m[1], source, CASE
        WHEN source = 'draft' THEN (new_row->>'user_id') || ':' || (new_row->>'draft_key') ELSE new_row->>'id' END
      FROM regexp_matches(new_row::text, '/images/([0-9a-f]{20})\.webp', 'g') AS m
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER posts_image_refs AFTER INSERT OR UPDATE OR DELETE ON posts
  FOR EACH ROW EXECUTE FUNCTION peerdesk_post_image_refs('post');
--> statement-breakpoint
CREATE TRIGGER comments_image_refs AFTER INSERT OR UPDATE OR DELETE ON comments
  FOR EACH ROW EXECUTE FUNCTION peerdesk_post_image_refs('comment');
--> statement-breakpoint
CREATE TRIGGER revisions_image_refs AFTER INSERT OR UPDATE OR DELETE ON revisions
  FOR EACH ROW EXECUTE FUNCTION peerdesk_post_image_refs('revision');
--> statement-breakpoint
CREATE TRIGGER drafts_image_refs AFTER INSERT OR UPDATE OR DELETE ON drafts
  FOR EACH ROW EXECUTE FUNCTION peerdesk_post_image_refs('draft');
--> statement-breakpoint
CREATE TRIGGER edit_suggestions_image_refs AFTER INSERT OR UPDATE OR DELETE ON edit_suggestions
  FOR EACH ROW EXECUTE FUNCTION peerdesk_post_image_refs('suggestion');
--> statement-breakpoint
CREATE TRIGGER qa_sessions_image_refs AFTER INSERT OR UPDATE OR DELETE ON qa_sessions
  FOR EACH ROW EXECUTE FUNCTION peerdesk_post_image_refs('session');
--> statement-breakpoint
CREATE TRIGGER session_questions_image_refs AFTER INSERT OR UPDATE OR DELETE ON session_questions
  FOR EACH ROW EXECUTE FUNCTION peerdesk_post_image_refs('session_question');
--> statement-breakpoint
-- What is already stored: the same references, once.
INSERT INTO post_image_refs (hash, source_type, source_key)
SELECT DISTINCT m[1], r.source, r.key FROM (
  SELECT 'post' AS source, id::text AS key, to_jsonb(p)::text AS body FROM posts p
  UNION ALL SELECT 'comment', id::text, to_jsonb(c)::text FROM comments c
  UNION ALL SELECT 'revision', id::text, to_jsonb(r)::text FROM revisions r
  UNION ALL SELECT 'draft', user_id || ':' || draft_key, to_jsonb(d)::text FROM drafts d
  UNION ALL SELECT 'suggestion', id::text, to_jsonb(s)::text FROM edit_suggestions s
  UNION ALL SELECT 'session', id::text, to_jsonb(q)::text FROM qa_sessions q
  UNION ALL SELECT 'session_question', id::text, to_jsonb(q)::text FROM session_questions q
) r, regexp_matches(r.body, '/images/([0-9a-f]{20})\.webp', 'g') AS m
WHERE strpos(r.body, '/images/') > 0
ON CONFLICT DO NOTHING;
